import { isTriageError } from '../../bot/errors.js';
import type { CliIo } from './diagnose-command.js';
import { COMMAND_USAGE, USAGE, type CommandName } from './usage.js';

// The exit code of an error and its message, apart from main.ts so that the probe's short path
// (bin.ts -> probe-cli.ts) reports errors the same way without loading the rest of the CLI.

export function reportError(error: unknown, io: CliIo, command?: CommandName): number {
  // By name, not instanceof: importing the rule loader here would load it for every probe.
  if (error instanceof Error && error.name === 'RuleFileError') {
    io.note(`tls-triage: ${error.message}`);
    return 2;
  }
  if (isTriageError(error)) {
    io.note(`tls-triage: ${error.message}`);
    if (error.code === 'USAGE') io.note(command ? COMMAND_USAGE[command] : USAGE);
    return error.code === 'PROBE_REFUSED' ? 3 : error.code === 'INTERNAL' ? 1 : 2;
  }
  io.note(`tls-triage: internal error: ${(error as Error)?.message ?? String(error)}`);
  return 1;
}
