import { readFileSync } from 'node:fs';
import { loadConfig } from '../../bot/config.js';
import { readCaFiles } from '../../bot/certificates/ca-files.js';
import { TriageError } from '../../bot/errors.js';
import { createFileLogger, createLogger } from '../../bot/logger.js';
import { mapBounded } from '../../bot/probe/net-outcome.js';
import { runProbe, type ProbeContext, type ProbeRequest, type ProbeRun } from '../../bot/probe/run-probe.js';
import { readProfileFiles, readRuleDirs } from '../../bot/rules-files.js';
import { findClientProfile, loadClientProfiles, type ClientProfile } from '../../bot/probe/client-profiles.js';
import { createProbeDiagnoser } from '../../rules/probe/diagnoser.js';
import { renderProbeText } from '../text/render-probe.js';
import type { ParsedArgs } from './args.js';
import type { CliIo } from './diagnose-command.js';
import { probeConcurrency, probeTargets } from './probe-targets.js';
import { isStartTlsProtocol, STARTTLS_PROTOCOLS, type StartTlsProtocol } from '../../bot/probe/starttls/schemes.js';

// `tls-triage probe T1 T2 ... [--targets FILE]`. It loads only what probing needs (the probe's
// rules, not every log family's; no chat SDK): bin.ts comes here without loading main.ts. Targets
// run through the policy one by one, at most --concurrency at once, and are printed in the order
// given as soon as the ones before them are done.

export const PROBE_ARGS = { flags: ['json', 'ciphers', 'verbose', 'list-clients'], values: ['servername', 'ca', 'timeout', 'allow', 'rules', 'targets', 'concurrency', 'starttls', 'as'] };

type Outcome = { target: string; run: ProbeRun } | { target: string; internal: string };

function exitCodeOf(outcomes: readonly Outcome[]): number {
  const failed = outcomes.filter((o) => !('run' in o) || !o.run.ok);
  if (failed.length === 0) return 0;
  if (failed.some((o) => !('run' in o))) return 1;
  return failed.some((o) => 'run' in o && !o.run.ok && o.run.kind === 'refused') ? 3 : 2;
}

function errorOf(o: Outcome): { code: string; message: string } | undefined {
  if (!('run' in o)) return { code: 'INTERNAL', message: o.internal };
  if (o.run.ok) return undefined;
  return { code: o.run.kind === 'refused' ? 'PROBE_REFUSED' : 'USAGE', message: o.run.message };
}

export async function runProbeCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  const { config, logLevelSet } = loadConfig();
  // A command line prints its answer, not log lines: they come only when LOG_LEVEL (or the
  // configuration file) or --verbose asks; the audit line goes there, and to probe.auditFile when set.
  const logger = createLogger(logLevelSet ? config.logging.level : args.flags.has('verbose') ? 'info' : 'silent');
  const audit = config.probe.auditFile ? [logger, createFileLogger(config.probe.auditFile)] : [logger];
  const ruleDirs = [...config.rules.dirs, ...(args.values.get('rules') ?? [])];
  const asClient = args.values.get('as')?.at(-1);
  const profiles: readonly ClientProfile[] = asClient !== undefined || args.flags.has('list-clients') ? loadClientProfiles(readProfileFiles(ruleDirs)) : [];
  if (args.flags.has('list-clients')) return listClients(profiles, args.flags.has('json'), io);
  const emulate = asClient !== undefined ? findClientProfile(profiles, asClient) : undefined;
  const targets = probeTargets(args.positionals, args.values.get('targets') ?? []);
  const timeoutText = args.values.get('timeout')?.at(-1);
  const timeoutMs = timeoutText === undefined ? config.probe.timeoutMs : Number(timeoutText);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 120_000) {
    throw new TriageError('USAGE', `--timeout must be a whole number of milliseconds from 100 to 120000, not "${timeoutText}"`);
  }
  const concurrency = probeConcurrency(args.values.get('concurrency')?.at(-1), config.probe.maxConcurrent);
  if (concurrency.note) io.note(`tls-triage: ${concurrency.note}`);
  const extraCaPem = [
    ...readCaFiles(config.certificates.caFiles),
    ...(args.values.get('ca') ?? []).map((file) => {
      try {
        return readFileSync(file, 'utf8');
      } catch (error) {
        throw new TriageError('INPUT_UNREADABLE', `cannot read --ca ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
    }),
  ];
  const servername = args.values.get('servername')?.at(-1);
  const starttlsText = args.values.get('starttls')?.at(-1)?.toLowerCase();
  if (starttlsText !== undefined && !isStartTlsProtocol(starttlsText)) throw new TriageError('USAGE', `--starttls is one of ${STARTTLS_PROTOCOLS.join(', ')}, not "${starttlsText}"`);
  const starttls = starttlsText as StartTlsProtocol | undefined;
  const context: ProbeContext = {
    policy: { ...config.probe, allow: [...config.probe.allow, ...(args.values.get('allow') ?? [])] },
    diagnoser: await createProbeDiagnoser(readRuleDirs(ruleDirs)),
    logger,
    audit,
    who: { platform: 'cli', user: 'cli' },
  };
  const request = (input: string): ProbeRequest => ({
    input,
    ciphers: args.flags.has('ciphers'),
    timeoutMs,
    ...(servername ? { servername } : {}),
    ...(extraCaPem.length > 0 ? { extraCaPem } : {}),
    ...(starttls ? { starttls } : {}),
    ...(emulate ? { emulate } : {}),
  });
  const json = args.flags.has('json');
  const print = (o: Outcome): void => {
    if ('run' in o && o.run.ok) {
      const runbook = config.runbooks[o.run.result.cause];
      if (runbook) o.run.result.runbook = runbook;
    }
    if (targets.length === 1) return printSingle(o, json, io);
    const error = errorOf(o);
    if (json) io.write(`${JSON.stringify(error ? { target: o.target, error } : (o as { run: { result: unknown } }).run.result)}\n`);
    else if (error) io.write(`Probe of ${o.target}: ${error.code}: ${error.message}\n\n`);
    else io.write(`${renderProbeText((o as { run: Extract<ProbeRun, { ok: true }> }).run.result)}\n\n`);
  };
  // Results are printed in the order given: each waits for the ones before it.
  const done: (Outcome | undefined)[] = new Array(targets.length);
  let printed = 0;
  const outcomes = await mapBounded(targets, concurrency.value, async (target, i) => {
    let outcome: Outcome;
    try {
      outcome = { target, run: await runProbe(request(target), context) };
    } catch (error) {
      outcome = { target, internal: (error as Error)?.message ?? String(error) };
    }
    done[i] = outcome;
    for (let next = done[printed]; next !== undefined; next = done[printed]) {
      print(next);
      printed++;
    }
    return outcome;
  });
  return exitCodeOf(outcomes);
}

/** One target: pretty JSON or text on stdout; a refusal or a bad target is an error on stderr. */
function printSingle(o: Outcome, json: boolean, io: CliIo): void {
  if (!('run' in o)) throw new TriageError('INTERNAL', o.internal);
  if (!o.run.ok) throw new TriageError(o.run.kind === 'refused' ? 'PROBE_REFUSED' : 'USAGE', o.run.message);
  io.write(json ? `${JSON.stringify(o.run.result, null, 2)}\n` : `${renderProbeText(o.run.result)}\n`);
}

/** `probe --list-clients`: the profiles `--as` accepts, with the version each describes and its source. */
function listClients(profiles: readonly ClientProfile[], json: boolean, io: CliIo): number {
  for (const p of profiles) {
    if (json) {
      io.write(`${JSON.stringify({ client: p.id, name: p.name, aliases: p.aliases, version: p.version, versions: p.versions, source: p.source, file: p.file })}\n`);
    } else {
      io.write(`${p.id.padEnd(24)} ${p.name}\n${' '.repeat(25)}${p.versions.join(', ')}; ${p.source.kind}${p.aliases.length > 0 ? `; also: ${p.aliases.join(', ')}` : ''}\n${' '.repeat(25)}${p.version}\n`);
    }
  }
  return 0;
}
