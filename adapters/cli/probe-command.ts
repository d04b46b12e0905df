import { readFileSync } from 'node:fs';
import type { Config } from '../../bot/config.js';
import { TriageError } from '../../bot/errors.js';
import { createFileLogger, type Logger } from '../../bot/logger.js';
import { runProbe } from '../../bot/probe/run-probe.js';
import type { Diagnoser } from '../../rules/index.js';
import { renderProbeText } from '../text/render-probe.js';
import type { ParsedArgs } from './args.js';
import type { CliIo } from './diagnose-command.js';

/** `logger`: the CLI's log (silent unless asked); the audit line goes there, and to probe.auditFile when set. */
export async function runProbeCommand(args: ParsedArgs, config: Config, diagnoser: Diagnoser, io: CliIo, logger: Logger): Promise<number> {
  const timeoutText = args.values.get('timeout')?.at(-1);
  const timeoutMs = timeoutText === undefined ? config.probe.timeoutMs : Number(timeoutText);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 120_000) {
    throw new TriageError('USAGE', `--timeout must be a whole number of milliseconds from 100 to 120000, not "${timeoutText}"`);
  }
  const extraCaPem = (args.values.get('ca') ?? []).map((file) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      throw new TriageError('INPUT_UNREADABLE', `cannot read --ca ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  });
  const servername = args.values.get('servername')?.at(-1);
  const policy = { ...config.probe, allow: [...config.probe.allow, ...(args.values.get('allow') ?? [])] };
  const audit = config.probe.auditFile ? [logger, createFileLogger(config.probe.auditFile)] : [logger];
  const run = await runProbe(
    {
      input: args.positionals[0] as string,
      ciphers: args.flags.has('ciphers'),
      timeoutMs,
      ...(servername ? { servername } : {}),
      ...(extraCaPem.length > 0 ? { extraCaPem } : {}),
    },
    { policy, diagnoser, logger, audit, who: { platform: 'cli', user: 'cli' } },
  );
  if (!run.ok) throw new TriageError(run.kind === 'refused' ? 'PROBE_REFUSED' : 'USAGE', run.message);
  const runbook = config.runbooks[run.result.cause];
  if (runbook) run.result.runbook = runbook;
  io.write(args.flags.has('json') ? `${JSON.stringify(run.result, null, 2)}\n` : `${renderProbeText(run.result)}\n`);
  return 0;
}
