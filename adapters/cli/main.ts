import { loadConfig, type Config } from '../../bot/config.js';
import { isTriageError, TriageError } from '../../bot/errors.js';
import { readRuleDirs } from '../../bot/rules-files.js';
import { startWorkerFor, type LogScanWorker } from '../../bot/logs/split-log.js';
import { checkRuleFiles, createDiagnoser, RuleFileError } from '../../rules/index.js';
import { startConsole } from '../console/start.js';
import { DIAGNOSE_ARGS, parseArgs } from './args.js';
import { runDiagnose, type CliIo } from './diagnose-command.js';
import { runProbeCommand } from './probe-command.js';

const USAGE = `usage:
  tls-triage diagnose [FILE|-] [--json] [--rules DIR]... [--ca FILE]... [--role client|server]
                                                          diagnose a log, a certificate file (PEM, DER, PKCS#7) or a DataPower
                                                          domain export (XML or zip); stdin when no FILE
  tls-triage probe TARGET [--json] [--ciphers] [--servername NAME] [--ca FILE] [--timeout MS] [--allow CIDR|HOST]...
  tls-triage rules check DIR...                           validate rule files without starting anything
  tls-triage console [--thread ID] [--rules DIR]...        local chat in the terminal (one incident per thread)
exit codes: 0 diagnosis produced, 2 bad usage or unreadable input, 3 probe refused by policy, 1 internal error`;

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
      case 'probe': {
        const args = parseArgs(rest, { flags: ['json', 'ciphers'], values: ['servername', 'ca', 'timeout', 'allow', 'rules'] });
        if (args.positionals.length !== 1) throw new TriageError('USAGE', 'probe takes exactly one TARGET (host:port, host, https://host:port/, [v6]:port)');
        const { config, diagnoser } = setUp(args.values.get('rules'));
        return await runProbeCommand(args, config, diagnoser, io);
      }
      case 'rules': {
        const [sub, ...dirs] = rest;
        if (sub !== 'check' || dirs.length === 0) throw new TriageError('USAGE', 'rules check DIR... validates rule directories');
        const files = readRuleDirs(dirs);
        const rules = checkRuleFiles(files);
        io.write(`ok: ${files.length} file(s), ${rules.rules.length} rules and ${rules.signatures.length} signatures in all (built-in included)\n`);
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

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof RuleFileError) {
    io.note(`tls-triage: ${error.message}`);
    return 2;
  }
  if (isTriageError(error)) {
    io.note(`tls-triage: ${error.message}`);
    if (error.code === 'USAGE') io.note(USAGE);
    return error.code === 'PROBE_REFUSED' ? 3 : error.code === 'INTERNAL' ? 1 : 2;
  }
  io.note(`tls-triage: internal error: ${(error as Error)?.message ?? String(error)}`);
  return 1;
}
