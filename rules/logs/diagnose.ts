import type { BucketVerdict, RuleEngine } from '../engine/rule-engine.js';
import type { ConnectionGroup } from './group.js';
import { hostOf } from '../host-port.js';
import { describeOwner } from '../owner.js';
import { isBackground } from './fact-buckets.js';
import { rankTallies, type CauseTally } from './rank.js';
import type { ScanResult } from './scan.js';
import type { ScanRules } from './scan-rules.js';
import type { StackStepsSpec } from '../engine/schema.js';
import { endpointText, findEndpoint } from './endpoint.js';
import { nextStepsFor } from './next-steps.js';
import type { Alternative, Diagnosis, DiagnosisContext, Endpoint, EvidenceLine, LineContext, OtherCause, Warning } from '../types.js';
import { CAUSES, type CauseId, type Vantage, type WarningId } from '../vocabulary.js';

/** The signal of DataPower's 0x81200025 "SSL peer did not send a certificate during the handshake". */
export const RED_HERRING_SIGNAL = 'datapower.peer-sent-no-certificate';
export const NOT_TLS_SIGNAL = 'context.not-tls';
const MAX_EVIDENCE = 20;
const MAX_EVIDENCE_CHARS = 500;

/** Turns a scan into one diagnosis: the primary cause first, every other cause with its count. */
/** What diagnoseScan needs of the rule set besides the engine. */
export interface DiagnosisTables extends Pick<ScanRules, 'signalRoles' | 'backgroundSignals' | 'genericSignals'> {
  readonly stackSteps: readonly StackStepsSpec[];
}

export async function diagnoseScan(scan: ScanResult, engine: RuleEngine, rules: DiagnosisTables, endpointText?: string): Promise<Diagnosis> {
  const verdicts = await Promise.all(scan.buckets.map((b) => engine.evaluate(b.facts)));
  const tallies = new Map<CauseId, CauseTally>();
  const warnings = new Map<WarningId, Warning>();
  let redHerringPresent = false;
  scan.buckets.forEach((bucket, i) => {
    const verdict = verdicts[i] as BucketVerdict;
    if (bucket.facts.signals.includes(RED_HERRING_SIGNAL)) redHerringPresent = true;
    for (const w of verdict.warnings) if (!warnings.has(w.warning)) warnings.set(w.warning, { id: w.warning, text: w.text });
    if (!verdict.diagnosis) return;
    // A connection whose own lines say it is not TLS at all (SSH's negotiation, an XML signature's
    // certificate check, a keychain listing) gives no cause, whatever certificate words it holds.
    if (bucket.facts.signals.includes(NOT_TLS_SIGNAL)) return;
    const { params, priority } = verdict.diagnosis;
    const background = isBackground(bucket.facts, rules);
    const tally = tallies.get(params.cause);
    if (!tally) {
      tallies.set(params.cause, { cause: params.cause, params, priority, count: bucket.count, examples: [...bucket.examples], background });
      return;
    }
    tally.count += bucket.count;
    tally.examples.push(...bucket.examples);
    tally.background &&= background;
    if (priority > tally.priority) [tally.params, tally.priority] = [params, priority];
  });

  const ranked = rankTallies([...tallies.values()]);
  const primary = ranked[0];
  if (!primary) return unknownDiagnosis(scan, redHerringPresent, [...warnings.values()]);
  primary.examples.sort((a, b) => a.firstLine - b.firstLine);
  const lead = primary.examples[0] as ConnectionGroup;
  const vantage = vantageOf(primary.examples);
  const context = lead.context;
  const endpoint = endpointOf(primary.examples, context, endpointText);
  const fill = (text: string): string => fillPlaceholders(text, context, endpoint);
  const stacks = [...new Set(primary.examples.flatMap((g) => [...g.sources]))].sort();

  let explanation = fill(primary.params.explanation);
  // The red herring is only worth a word on the connections it was logged for.
  const redHerringHere = primary.examples.some((g) => g.signals.has(RED_HERRING_SIGNAL));
  if (redHerringHere && CAUSES[primary.cause].kind !== 'red-herring') {
    explanation +=
      primary.cause === 'client-cert-missing'
        ? " Here DataPower's 'SSL peer did not send a certificate during the handshake' message agrees with the SSL library error: the certificate really was missing."
        : " Secondary: DataPower's 'SSL peer did not send a certificate during the handshake' message is also present. It follows almost every failed handshake and is not the cause here: act on the line above, not on it.";
  }
  const owner = describeOwner(primary.params.team, vantage, context);
  const diagnosis: Diagnosis = {
    cause: primary.cause,
    team: primary.params.team,
    title: fill(primary.params.title),
    explanation,
    vantage,
    redHerringPresent,
    redHerringOnly: primary.cause === 'red-herring-only',
    evidence: evidenceOf(primary.examples),
    nextSteps: nextStepsFor(primary.cause, stacks, primary.params.nextSteps, rules.stackSteps).map(fill),
    warnings: [...warnings.values()],
    others: ranked.slice(1).map(toOther),
    count: primary.count,
  };
  if (owner) diagnosis.owner = owner;
  if (endpoint) diagnosis.endpoint = endpoint;
  if (stacks.length > 0) diagnosis.stacks = stacks;
  const alternatives = alternativesOf(primary, fill);
  if (alternatives.length > 0) diagnosis.alternatives = alternatives;
  const key = lead.lines.find((l) => l.causal) ?? lead.lines[0];
  if (key) diagnosis.keyLine = { line: key.line, text: clip(key.text) };
  const named = pickContext(context);
  if (Object.keys(named).length > 0) diagnosis.context = named;
  return diagnosis;
}

function alternativesOf(primary: CauseTally, fill: (text: string) => string): Alternative[] {
  return (primary.params.alternatives ?? []).filter((a) => a.cause !== primary.cause).map((a) => ({ cause: a.cause, team: a.team, check: fill(a.check) }));
}

function pickContext(context: LineContext): DiagnosisContext {
  const named: DiagnosisContext = {};
  for (const key of ['source', 'domain', 'object', 'client', 'server'] as const) {
    const value = context[key];
    if (value) named[key] = value;
  }
  return named;
}

function vantageOf(groups: readonly ConnectionGroup[]): Vantage {
  let server = 0;
  let client = 0;
  for (const g of groups) {
    const v = g.votes.datapower ?? (g.votes.server > g.votes.client ? 'server' : g.votes.client > g.votes.server ? 'client' : undefined);
    if (v === 'server') server += 1;
    if (v === 'client') client += 1;
  }
  return server > client ? 'server' : client > server ? 'client' : 'unknown';
}

// A stack frame is where the code was, not what went wrong: it never counts as evidence. Java and
// .NET "at ...", "... 17 more", Python's 'File "...", line N', Go's "/path/file.go:12 +0x1d".
const STACK_FRAME = [
  /^\s*at\s+(?:async\s+|new\s+)?[\w$.<>[\]/`,+-]+(?:\s+\[as [\w$]+\])?(?:\s*\(.*\))?(?:\s+in\s+.*)?\s*\{?\s*$/,
  /^\s*File "[^"]*", line \d+/,
  /^\s*\.\.\. \d+ (?:more|common frames omitted)\s*$/,
  /^\s*--- End of (?:inner exception )?stack trace/,
  /^\s*(?:\/|[A-Za-z]:\\)\S*\.go:\d+(?: \+0x[0-9a-f]+)?\s*$/,
  /^goroutine \d+ \[/,
];
// The source line a Python traceback prints under each frame ("    return opener.open(url, ...)"):
// a context line only, since a signature literal may be in the code it quotes.
const TRACEBACK_SOURCE = /^ {4}(?:return |raise |with |yield |await |if |for |async |[A-Za-z_][\w.]*(?:\[[^\]]{0,80}\])?\s*(?:=|\())/;

function isStackFrame(text: string): boolean {
  // A frame is a short line; a long one is something else and is not run through the patterns.
  return text.length <= 2000 && STACK_FRAME.some((re) => re.test(text));
}

/** The lines that show the cause: causal lines first, then their context, each in line order; no stack frames. */
function evidenceOf(groups: readonly ConnectionGroup[]): EvidenceLine[] {
  const seen = new Set<number>();
  const causal: EvidenceLine[] = [];
  const context: EvidenceLine[] = [];
  for (const group of groups) {
    for (const hit of group.lines) {
      if (causal.length + context.length >= MAX_EVIDENCE) break;
      if (seen.has(hit.line) || isStackFrame(hit.text) || (!hit.causal && TRACEBACK_SOURCE.test(hit.text))) continue;
      seen.add(hit.line);
      (hit.causal ? causal : context).push({ line: hit.line, text: clip(hit.text) });
    }
  }
  const byLine = (a: EvidenceLine, b: EvidenceLine): number => a.line - b.line;
  return [...causal.sort(byLine), ...context.sort(byLine)];
}

function toOther(tally: CauseTally): OtherCause {
  const lead = [...tally.examples].sort((a, b) => a.firstLine - b.firstLine)[0] as ConnectionGroup;
  const hit = lead.lines.find((l) => l.causal) ?? lead.lines[0];
  return {
    cause: tally.cause,
    team: tally.params.team,
    count: tally.count,
    example: { line: hit?.line ?? lead.firstLine, text: clip(hit?.text ?? '') },
  };
}

function unknownDiagnosis(scan: ScanResult, redHerringPresent: boolean, warnings: Warning[]): Diagnosis {
  const empty = scan.bytes === 0 || scan.lines === 0;
  return {
    cause: 'unknown',
    team: 'none',
    title: empty ? 'Nothing to diagnose: the input is empty' : 'No TLS failure recognised in this text',
    explanation: empty
      ? 'The input held no text. Paste the log lines around the failure, or give a log file.'
      : `None of the ${scan.lines} line(s) matches a known TLS failure signature. If this is a TLS problem, paste the SSL library error lines (DataPower: set the log level of the crypto/ssl category to debug), or probe the endpoint.`,
    vantage: 'unknown',
    redHerringPresent,
    redHerringOnly: false,
    evidence: [],
    nextSteps: empty ? [] : ['openssl s_client -connect <host>:<port> -servername <host>', 'tls-triage probe <host>:<port>'],
    warnings,
    others: [],
  };
}

// {server} and {host} prefer the endpoint the evidence names (a URL, "Connected to", -connect) over a
// placeholder: a next step should run as pasted.
const PLACEHOLDERS: Record<string, (c: LineContext, e: Endpoint | undefined) => string> = {
  server: (c, e) => (e ? endpointText(e) : c.server ? withoutWildcard(c.server) : (c.host ?? '<host>:<port>')),
  host: (c, e) => (e ? e.host : c.server && !isWildcard(c.server) ? hostOf(c.server) : (c.host ?? '<host>')),
  port: (c, e) => (e ? String(e.port) : (/:(\d{1,5})$/.exec(c.server ?? '')?.[1] ?? '<port>')),
  client: (c) => c.client ?? '<client address>',
  object: (c) => c.object ?? (c.source === 'datapower' ? '<profile>' : 'this server'),
  domain: (c) => c.domain ?? '<domain>',
  x509: (c) => c.x509 ?? 'certificate verification failed',
};
function fillPlaceholders(text: string, context: LineContext, endpoint: Endpoint | undefined): string {
  return text.replace(/\{(server|host|port|client|object|domain|x509)\}/g, (_, name: string) => PLACEHOLDERS[name]?.(context, endpoint) ?? '');
}

// A server that logs its listen address (nginx's "server: 0.0.0.0:443") names its port, not a host anyone
// can connect to: keep the port, ask for the host.
const WILDCARD_HOST = /^(?:0\.0\.0\.0|\[?::\]?|\*)$/;
function isWildcard(server: string): boolean {
  return WILDCARD_HOST.test(hostOf(server));
}
function withoutWildcard(server: string): string {
  if (!isWildcard(server)) return server;
  const port = /:(\d{1,5})$/.exec(server)?.[1];
  return port ? `<this server's address>:${port}` : "<this server's address>:<port>";
}

/** The endpoint of the failing connection: its server address when the log names one, else the first the lines name. */
function endpointOf(groups: readonly ConnectionGroup[], context: LineContext, text: string | undefined): Endpoint | undefined {
  const fromContext = context.server ? findEndpoint([`-connect ${context.server}`]) : undefined;
  const fromEvidence = fromContext ?? findEndpoint(groups.flatMap((g) => g.lines.map((l) => l.text)));
  // A paste may name its URL on a line of its own (a command, curl's request line): only the first
  // lines are read, a paste is short and a log file is not searched this way.
  return fromEvidence ?? (text === undefined ? undefined : findEndpoint(text.slice(0, 65_536).split('\n', 400)));
}
function clip(text: string): string {
  return text.length > MAX_EVIDENCE_CHARS ? `${text.slice(0, MAX_EVIDENCE_CHARS)}… [line cut at ${MAX_EVIDENCE_CHARS} characters]` : text;
}
