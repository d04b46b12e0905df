import { loadConfig } from '../bot/config.js';
import { isTriageError } from '../bot/errors.js';
import { readRuleDirs } from '../bot/rules-files.js';
import { createDiagnoser, RuleFileError } from '../rules/index.js';
import { parseArgs } from './cli/args.js';
import { startConsole } from './console/start.js';

// `npm start`: load and validate the configuration and rules (a bad file stops start-up), then
// start every adapter whose credentials are present. With none, the local console runs: the
// embedded default that needs no account.

async function start(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, { flags: [], values: ['thread'] });
  const { config } = loadConfig();
  const diagnoser = createDiagnoser(readRuleDirs(config.rules.dirs));
  const thread = args.values.get('thread')?.at(-1);
  return startConsole({ config, diagnoser, input: process.stdin, write: (text) => void process.stdout.write(text), ...(thread ? { thread } : {}) });
}

start(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const known = error instanceof RuleFileError || isTriageError(error);
    process.stderr.write(`tls-triage: ${known ? (error as Error).message : `internal error: ${String(error)}`}\n`);
    process.exitCode = known ? 2 : 1;
  },
);
