// Key-exchange and cipher checks every probe runs (a few handshakes, in parallel): does the server
// accept a weak suite (NULL, anonymous, EXPORT, RC4, DES/3DES), how big is its finite-field DHE
// group, and can a modern default client (TLS 1.2/1.3, no weak suite) agree with it at all.
import { buildClientHello } from './client-hello.js';
import { describeSuite, suitesFor, type CipherSuiteRef } from './cipher-suites.js';
import type { ProtocolName } from './protocol-names.js';
import { rawHandshake } from './raw-handshake.js';
import type { CipherChecksReport, CiphersReport, WeakCipherReason, WeakSuite } from './report-types.js';
import type { StartTlsProtocol } from './starttls/index.js';

export type { CipherChecksReport, WeakCipherReason, WeakSuite };

/** Why default clients refuse a suite, or undefined when they do not. */
export function weakCipherReason(iana: string): WeakCipherReason | undefined {
  if (/EXPORT/.test(iana)) return 'EXPORT';
  if (/_anon_/.test(iana)) return 'anonymous';
  if (/_WITH_NULL_|^TLS_NULL_/.test(iana)) return 'NULL';
  if (/_RC4_/.test(iana)) return 'RC4';
  if (/_3DES_/.test(iana)) return '3DES';
  if (/_DES_|_DES40_/.test(iana)) return 'DES';
  return undefined;
}

export interface CipherCheckTarget {
  address: string;
  port: number;
  servername?: string;
  timeoutMs: () => number;
  starttls?: StartTlsProtocol;
}

const LEGACY_TLS: readonly ProtocolName[] = ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2'];

function hello(t: CipherCheckTarget, protocol: ProtocolName, suites: readonly number[], alsoOffer?: ProtocolName[]): Buffer {
  return buildClientHello({ protocol, suites, ...(t.servername ? { servername: t.servername } : {}), ...(alsoOffer ? { alsoOfferVersions: alsoOffer } : {}) });
}

/** One handshake per protocol offering only weak suites: the one picked, if any. */
async function weakPick(t: CipherCheckTarget, protocol: ProtocolName): Promise<WeakSuite | undefined> {
  const suites = suitesFor(protocol).filter((c) => weakCipherReason(describeSuite(c).iana));
  const r = await rawHandshake({ address: t.address, port: t.port, hello: hello(t, protocol, suites), until: 'server-hello', timeoutMs: t.timeoutMs(), ...(t.starttls ? { starttls: t.starttls } : {}) });
  if (!r.serverHello || r.serverHello.version !== protocol || !suites.includes(r.serverHello.cipherSuite)) return undefined;
  const suite = describeSuite(r.serverHello.cipherSuite);
  return { protocol, suite, reason: weakCipherReason(suite.iana) as WeakCipherReason };
}

/** The DHE prime, read from ServerKeyExchange when only finite-field DHE suites are offered. */
async function dheBits(t: CipherCheckTarget, protocol: ProtocolName): Promise<number | null> {
  const suites = suitesFor(protocol).filter((c) => /^TLS_DHE_(RSA|DSS)_/.test(describeSuite(c).iana));
  const r = await rawHandshake({ address: t.address, port: t.port, hello: hello(t, protocol, suites), until: 'server-hello-done', timeoutMs: t.timeoutMs(), ...(t.starttls ? { starttls: t.starttls } : {}) });
  return r.keyExchange?.kind === 'dhe' ? r.keyExchange.bits : null;
}

/** TLS 1.2/1.3 and every suite but the weak ones: roughly what OpenSSL, Java, Go and browsers offer. */
export async function modernClientAgrees(t: CipherCheckTarget): Promise<boolean | null> {
  const suites = [...suitesFor('TLSv1.3'), ...suitesFor('TLSv1.2').filter((c) => !weakCipherReason(describeSuite(c).iana))];
  const r = await rawHandshake({ address: t.address, port: t.port, hello: hello(t, 'TLSv1.3', suites, ['TLSv1.2']), until: 'server-hello', timeoutMs: t.timeoutMs(), ...(t.starttls ? { starttls: t.starttls } : {}) });
  if (r.serverHello) return r.serverHello.version === 'TLSv1.3' || r.serverHello.version === 'TLSv1.2';
  if (r.outcome === 'alert' || r.outcome === 'closed' || r.outcome === 'reset') return false;
  return null;
}

/** Runs after the protocol step: only protocols the server accepts are tried. */
export async function checkCiphers(t: CipherCheckTarget, accepted: readonly ProtocolName[], modern: Promise<boolean | null>, enumerated: CiphersReport | null): Promise<CipherChecksReport> {
  const legacy = LEGACY_TLS.filter((p) => accepted.includes(p));
  const highest = legacy[legacy.length - 1];
  const [picks, bits, agrees] = await Promise.all([
    Promise.all(legacy.map((p) => weakPick(t, p))),
    highest ? dheBits(t, highest) : Promise.resolve(null),
    modern,
  ]);
  const weakSuites: WeakSuite[] = [];
  const seen = new Set<string>();
  const add = (w: WeakSuite): void => {
    const key = `${w.protocol}/${w.suite.code}`;
    if (!seen.has(key)) weakSuites.push(w);
    seen.add(key);
  };
  for (const p of enumerated?.protocols ?? []) {
    for (const suite of p.suites) {
      const reason = weakCipherReason(suite.iana);
      if (reason) add({ protocol: p.protocol, suite, reason });
    }
  }
  for (const w of picks) if (w) add(w);
  return { weakSuites, dheBits: bits, modernClientAgrees: agrees };
}
