import { loadConfig, withAllow, type Config } from '../../bot/config.js';
import { TriageError } from '../../bot/errors.js';
import { createLogger, type Logger } from '../../bot/logger.js';
import { readProfileFiles, readRuleDirs } from '../../bot/rules-files.js';
import { loadClientProfiles } from '../../bot/probe/client-profiles.js';
import { startWorkerFor, type LogScanWorker } from '../../bot/logs/split-log.js';
import { checkRuleFiles, createDiagnoser } from '../../rules/index.js';
import { startConsole } from '../console/start.js';
import { DIAGNOSE_ARGS, parseArgs } from './args.js';
import { runDiagnose, type CliIo } from './diagnose-command.js';
import { runFeedbackExport } from './feedback-command.js';
import { runProbeCli } from './probe-cli.js';
import { reportError } from './report-error.js';
import { asksForHelp, COMMAND_USAGE, isCommandName, USAGE } from './usage.js';

/** What bin.ts started before loading the rest of the program. */
export interface EarlyStart {
  /** The worker thread for a big log file's second half (early-worker.ts). */
  readonly worker?: LogScanWorker;
}

export async function main(argv: readonly string[], io: CliIo, early: EarlyStart = {}): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (isCommandName(command) && asksForHelp(rest)) {
      io.write(`${COMMAND_USAGE[command]}\n`);
      return 0;
    }
    switch (command) {
      case 'diagnose': {
        const args = parseArgs(rest, DIAGNOSE_ARGS);
        if (args.positionals.length > 1) throw new TriageError('USAGE', 'diagnose takes one FILE (or - for standard input)');
        const role = args.values.get('role')?.at(-1);
        if (role !== undefined && role !== 'client' && role !== 'server') throw new TriageError('USAGE', `--role is client or server, not "${role}"`);
        const file = args.positionals[0];
        // A big log file is scanned by two threads; the worker starts while the rules load, if bin.ts
        // has not started it already.
        const worker = early.worker ?? (file !== undefined && file !== '-' ? startWorkerFor(file) : undefined);
        try {
          const { config, diagnoser } = setUp(args.values.get('rules'));
          return await runDiagnose(file, args.flags.has('json'), diagnoser, config, io, { caFiles: args.values.get('ca') ?? [], ...(role ? { role } : {}), ...(worker ? { worker } : {}) });
        } finally {
          worker?.stop();
        }
      }
      case 'probe':
        return await runProbeCli(rest, io);
      case 'listen':
        return await (await import('./listen-command.js')).runListenCommand(rest, io);
      case 'rules': {
        const [sub, ...dirs] = rest;
        if (sub !== 'check' || dirs.length === 0) throw new TriageError('USAGE', 'rules check DIR... validates rule directories');
        const files = readRuleDirs(dirs);
        const rules = checkRuleFiles(files);
        io.write(`ok: ${files.length} file(s), ${rules.rules.length} rules and ${rules.signatures.length} signatures in all (built-in included)\n`);
        const profileFiles = readProfileFiles(dirs);
        // Client profiles for probe --as live beside the rules: checked the same way.
        if (profileFiles.length > 0) io.write(`ok: ${profileFiles.length} client profile file(s), ${loadClientProfiles(profileFiles).length} client profiles in all (built-in included)\n`);
        return 0;
      }
      case 'console': {
        const args = parseArgs(rest, { flags: [], values: ['rules', 'thread', 'allow'] });
        if (args.positionals.length > 0) throw new TriageError('USAGE', `console takes no arguments besides its options, not "${args.positionals[0]}"`);
        const { config, diagnoser } = setUp(args.values.get('rules'));
        const thread = args.values.get('thread')?.at(-1);
        return await startConsole({ config: withAllow(config, args.values.get('allow')), diagnoser, input: io.stdin, write: io.write, ...(thread ? { thread } : {}) });
      }
      case 'feedback': {
        const args = parseArgs(rest, { flags: ['json'], values: [] });
        if (args.positionals[0] !== 'export' || args.positionals.length !== 1) throw new TriageError('USAGE', 'feedback export [--json] prints the verdicts given on diagnoses');
        const { config } = loadConfig();
        return await runFeedbackExport(args.flags.has('json'), config, io);
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new TriageError('USAGE', `unknown command "${command}"`);
    }
  } catch (error) {
    return reportError(error, io, isCommandName(command) ? command : undefined);
  }
}

function setUp(ruleDirs: string[] | undefined, verbose = false): { config: Config; diagnoser: ReturnType<typeof createDiagnoser>; logger: Logger } {
  const { config, logLevelSet } = loadConfig();
  const dirs = [...config.rules.dirs, ...(ruleDirs ?? [])];
  // A command line prints its answer, not log lines: they come only when LOG_LEVEL (or the
  // configuration file) or --verbose asks for them.
  const level = logLevelSet ? config.logging.level : verbose ? 'info' : 'silent';
  return { config, diagnoser: createDiagnoser(readRuleDirs(dirs)), logger: createLogger(level) };
}
