import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { loadConfig } from '../../bot/config.js';
import { TriageError } from '../../bot/errors.js';
import { connectionJson, summaryJson } from '../../bot/listen/listen-json.js';
import { MAX_LISTEN_SECONDS, runListener } from '../../bot/listen/listener.js';
import { listenObservation } from '../../bot/listen/observe.js';
import { parseVersions } from '../../bot/listen/secure-context.js';
import { parseHost, parsePort } from '../../bot/probe/target.js';
import { readRuleDirs } from '../../bot/rules-files.js';
import { createListenDiagnoser } from '../../rules/listen/diagnoser.js';
import { renderListenConnection, renderListenSummary } from '../text/render-listen.js';
import { parseArgs } from './args.js';
import { COMMAND_USAGE } from './usage.js';
import type { CliIo } from './diagnose-command.js';

// `tls-triage listen [HOST:]PORT`: the MustGather's `openssl s_server`, for when the failing side is
// the client. What each client offers is printed as it comes; the summary and its diagnosis last.

export const LISTEN_ARGS = { flags: ['json', 'request-cert', 'help'], values: ['for', 'count', 'cert', 'key', 'versions', 'rules'] };

// The help text lives with every command's in usage.ts (tls-triage listen --help prints it too).
const LISTEN_HELP = COMMAND_USAGE.listen;

function parseWhere(text: string | undefined): { host?: string; port: number } {
  if (text === undefined) throw new TriageError('USAGE', 'listen needs a [HOST:]PORT, e.g. 8443 or 127.0.0.1:8443');
  let hostText: string | undefined;
  let portText = text;
  const v6 = /^\[([^\]]+)\]:(.*)$/.exec(text);
  if (v6) [hostText, portText] = [v6[1], v6[2] ?? ''];
  else if (text.includes(':')) {
    if (text.split(':').length > 2) throw new TriageError('USAGE', `"${text}": put an IPv6 address in brackets, e.g. [::1]:8443`);
    [hostText, portText] = text.split(':') as [string, string];
  }
  const port = /^0+$/.test(portText) ? { ok: true as const, port: 0 } : parsePort(portText);
  if (!port.ok) throw new TriageError('USAGE', `listen: ${port.error}`);
  if (hostText === undefined) return { port: port.port };
  const host = parseHost(hostText);
  if (!host.ok) throw new TriageError('USAGE', `listen: ${host.error}`);
  return { host: host.host, port: port.port };
}

function wholeNumber(name: string, text: string | undefined, min: number, max: number, fallback?: number): number | undefined {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new TriageError('USAGE', `--${name} must be a whole number from ${min} to ${max}, not "${text}"`);
  return n;
}

function readPem(option: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new TriageError('INPUT_UNREADABLE', `cannot read --${option} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function givenCertificate(certFile: string | undefined, keyFile: string | undefined): { certPem: string; keyPem: string; subject: string } | undefined {
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) throw new TriageError('USAGE', '--cert and --key go together');
  const certPem = readPem('cert', certFile);
  let subject: string;
  try {
    subject = new X509Certificate(certPem).subject.replace(/\n/g, ', ');
  } catch {
    throw new TriageError('INPUT_UNREADABLE', `--cert ${certFile} holds no PEM certificate`);
  }
  return { certPem, keyPem: readPem('key', keyFile), subject };
}

export async function runListenCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, LISTEN_ARGS);
  if (args.flags.has('help')) {
    io.write(`${LISTEN_HELP}\n`);
    return 0;
  }
  if (args.positionals.length > 1) throw new TriageError('USAGE', 'listen takes one [HOST:]PORT');
  const where = parseWhere(args.positionals[0]);
  const seconds = wholeNumber('for', args.values.get('for')?.at(-1), 1, MAX_LISTEN_SECONDS, 60) as number;
  const count = wholeNumber('count', args.values.get('count')?.at(-1), 1, 100_000);
  const versions = parseVersions(args.values.get('versions')?.at(-1) ?? 'tls1.2,tls1.3');
  const certificate = givenCertificate(args.values.get('cert')?.at(-1), args.values.get('key')?.at(-1));
  const requestCert = args.flags.has('request-cert');
  const json = args.flags.has('json');
  const { config } = loadConfig();
  const diagnoser = await createListenDiagnoser(readRuleDirs([...config.rules.dirs, ...(args.values.get('rules') ?? [])]));
  const abort = new AbortController();
  const onInterrupt = (): void => abort.abort();
  process.once('SIGINT', onInterrupt);
  process.once('SIGTERM', onInterrupt);
  try {
    const run = await runListener({
      ...where,
      seconds,
      ...(count !== undefined ? { count } : {}),
      ...(certificate ? { certificate } : {}),
      requestCert,
      versions,
      signal: abort.signal,
      onListening: (w) =>
        io.note(
          `tls-triage: listening on ${w.address.includes(':') ? `[${w.address}]` : w.address}:${w.port} for ${seconds} s${count ? ` or ${count} connection(s)` : ''} ` +
            `(${versions.join(', ')}; certificate ${w.certificateSubject}${requestCert ? '; client certificates requested' : ''}); Ctrl-C ends it early`,
        ),
      onConnection: (c, i) => io.write(json ? `${JSON.stringify(connectionJson(c))}\n` : `${renderListenConnection(connectionJson(c), i)}\n\n`),
    });
    const observation = listenObservation(run);
    const diagnosis = await diagnoser.diagnoseListen(observation);
    const runbook = config.runbooks[diagnosis.cause];
    const shown = runbook ? { ...diagnosis, runbook } : diagnosis;
    io.write(json ? `${JSON.stringify(summaryJson(run, shown))}\n` : `${renderListenSummary(run.summary, observation.listener.address, run.seconds, shown, requestCert)}\n`);
    return 0;
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
  }
}
