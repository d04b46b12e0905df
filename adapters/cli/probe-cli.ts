import { parseArgs } from './args.js';
import type { CliIo } from './diagnose-command.js';
import { PROBE_ARGS, runProbeCommand } from './probe-command.js';
import { reportError } from './report-error.js';
import { asksForHelp, COMMAND_USAGE } from './usage.js';

/** `tls-triage probe ...` from its arguments to its exit code; bin.ts calls it without main.ts. */
export async function runProbeCli(argv: readonly string[], io: CliIo): Promise<number> {
  if (asksForHelp(argv)) {
    io.write(`${COMMAND_USAGE.probe}\n`);
    return 0;
  }
  try {
    return await runProbeCommand(parseArgs(argv, PROBE_ARGS), io);
  } catch (error) {
    return reportError(error, io, 'probe');
  }
}
