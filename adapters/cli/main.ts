import { loadConfig, type Config } from '../../bot/config.js';
import { TriageError } from '../../bot/errors.js';
import { readProfileFiles, readRuleDirs } from '../../bot/rules-files.js';
import { loadClientProfiles } from '../../bot/probe/client-profiles.js';
import { startWorkerFor, type LogScanWorker } from '../../bot/logs/split-log.js';
import { checkRuleFiles, createDiagnoser } from '../../rules/index.js';
import { startConsole } from '../console/start.js';
import { DIAGNOSE_ARGS, parseArgs } from './args.js';
import { runDiagnose, type CliIo } from './diagnose-command.js';
import { reportError, USAGE } from './report-error.js';
import { runProbeCli } from './probe-cli.js';

/** What bin.ts started before loading the rest of the program. */
export interface EarlyStart {
  /** The worker thread for a big log file's second half (early-worker.ts). */
  readonly worker?: LogScanWorker;
}

export async function main(argv: readonly string[], io: CliIo, early: EarlyStart = {}): Promise<number> {
  const [command, ...rest] = argv;
  try {
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
        const args = parseArgs(rest, { flags: [], values: ['rules', 'thread'] });
        const { config, diagnoser } = setUp(args.values.get('rules'));
        const thread = args.values.get('thread')?.at(-1);
        return await startConsole({ config, diagnoser, input: io.stdin, write: io.write, ...(thread ? { thread } : {}) });
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
    return reportError(error, io);
  }
}

function setUp(ruleDirs: string[] | undefined): { config: Config; diagnoser: ReturnType<typeof createDiagnoser> } {
  const { config } = loadConfig();
  const dirs = [...config.rules.dirs, ...(ruleDirs ?? [])];
  return { config, diagnoser: createDiagnoser(readRuleDirs(dirs)) };
}

