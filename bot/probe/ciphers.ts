// Cipher-suite enumeration by elimination: offer every known suite, note the one the server picks,
// remove it, repeat until the server refuses. The suite list is split into chunks eliminated in
// parallel (the union of per-chunk results is the same set: a server picks an acceptable suite
// from whatever subset it is offered). Server preference: offer two accepted suites in both orders.
import { buildClientHello } from './client-hello.js';
import { describeSuite, suitesFor } from './cipher-suites.js';
import type { Limiter } from './limiter.js';
import { mapBounded } from './net-outcome.js';
import type { ProtocolName } from './protocol-names.js';
import { rawHandshake, type RawHandshakeResult } from './raw-handshake.js';
import type { CiphersReport, ProtocolCiphersReport, ServerPreference } from './report-types.js';
import type { StartTlsProtocol } from './starttls/index.js';

export interface CipherEnumOptions {
  address: string;
  port: number;
  servername?: string;
  limiter: Limiter;
  timeoutMs: () => number;
  /** Chunks per protocol for TLS <= 1.2 (TLS 1.3 has only five suites: one chunk). */
  chunks: number;
  starttls?: StartTlsProtocol;
}

type Pick = { kind: 'picked'; suite: number } | { kind: 'refused' } | { kind: 'incomplete'; why: string };

async function offer(p: ProtocolName, suites: readonly number[], o: CipherEnumOptions): Promise<Pick> {
  const timeoutMs = o.timeoutMs();
  if (timeoutMs <= 0) return { kind: 'incomplete', why: 'deadline' };
  const hello = buildClientHello({ protocol: p, suites, ...(o.servername ? { servername: o.servername } : {}) });
  const r: RawHandshakeResult = await o.limiter.run(() =>
    rawHandshake({ address: o.address, port: o.port, hello, until: 'server-hello', timeoutMs: o.timeoutMs(), ...(o.starttls ? { starttls: o.starttls } : {}) }),
  );
  if (r.outcome === 'server-hello' && r.serverHello) {
    if (r.serverHello.version !== p) return { kind: 'refused' };
    if (!suites.includes(r.serverHello.cipherSuite)) return { kind: 'incomplete', why: `server chose unoffered suite ${describeSuite(r.serverHello.cipherSuite).hex}` };
    return { kind: 'picked', suite: r.serverHello.cipherSuite };
  }
  // A fatal alert or a plain close is the usual "nothing left in common" answer.
  if (r.outcome === 'alert' || r.outcome === 'closed') return { kind: 'refused' };
  return { kind: 'incomplete', why: r.outcome };
}

async function eliminate(p: ProtocolName, chunk: readonly number[], o: CipherEnumOptions): Promise<{ found: number[]; handshakes: number; incomplete?: string }> {
  const left = [...chunk];
  const found: number[] = [];
  let handshakes = 0;
  while (left.length > 0) {
    const r = await offer(p, left, o);
    handshakes++;
    if (r.kind === 'refused') break;
    if (r.kind === 'incomplete') return { found, handshakes, incomplete: r.why };
    found.push(r.suite);
    left.splice(left.indexOf(r.suite), 1);
  }
  return { found, handshakes };
}

function split<T>(items: readonly T[], n: number): T[][] {
  const size = Math.ceil(items.length / Math.max(1, n));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function preference(p: ProtocolName, found: readonly number[], o: CipherEnumOptions): Promise<{ pref: ServerPreference; handshakes: number }> {
  const [a, b] = found;
  if (a === undefined || b === undefined) return { pref: 'unknown', handshakes: 0 };
  const [ab, ba] = await Promise.all([offer(p, [a, b], o), offer(p, [b, a], o)]);
  if (ab.kind !== 'picked' || ba.kind !== 'picked') return { pref: 'unknown', handshakes: 2 };
  if (ab.suite === ba.suite) return { pref: 'server', handshakes: 2 };
  if (ab.suite === a && ba.suite === b) return { pref: 'client', handshakes: 2 };
  return { pref: 'unknown', handshakes: 2 };
}

export async function enumerateProtocol(p: ProtocolName, o: CipherEnumOptions): Promise<ProtocolCiphersReport> {
  const all = suitesFor(p);
  const parts = await mapBounded(split(all, p === 'TLSv1.3' ? 1 : o.chunks), o.chunks, (c) => eliminate(p, c, o));
  const found = parts.flatMap((r) => r.found);
  let handshakes = parts.reduce((n, r) => n + r.handshakes, 0);
  const problems = parts.flatMap((r) => (r.incomplete ? [r.incomplete] : []));
  const pref = await preference(p, found, o);
  handshakes += pref.handshakes;
  // Report suites in table order: chunking loses the discovery order anyway.
  const suites = [...found].sort((x, y) => all.indexOf(x) - all.indexOf(y)).map(describeSuite);
  const report: ProtocolCiphersReport = { protocol: p, suites, serverPreference: pref.pref, complete: problems.length === 0, handshakes };
  if (problems.length > 0) report.note = `stopped early: ${[...new Set(problems)].join(', ')}`;
  else if (found.length < 2) report.note = 'preference needs two accepted suites';
  return report;
}

export async function enumerateCiphers(accepted: readonly ProtocolName[], o: CipherEnumOptions): Promise<CiphersReport> {
  const protocols = await Promise.all(accepted.map((p) => enumerateProtocol(p, o)));
  const decided = [...protocols].reverse().find((r) => r.serverPreference !== 'unknown');
  return { protocols, serverPreference: decided?.serverPreference ?? 'unknown' };
}
