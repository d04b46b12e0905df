// `probe --as CLIENT`: the server meets that client's real ClientHello (profile-hello.ts) and the
// answer is read as far as the client's verdict needs: for TLS 1.3 the flight is decrypted up to
// CertificateVerify (suite, group, certificate key, signature scheme); for TLS <= 1.2 the clear
// flight up to ServerHelloDone (suite, ECDHE curve or DH size, key, signature scheme). When the
// server refuses, three more hellos each swap one of the client's lists for the probe's, and the
// one the server then accepts names what had nothing in common. The verdict is rules/probe/emulation.ts's.
import { judgeEmulation, type CodeNames, type EmulationVerdict, type RefusalClues, type ServerAnswer } from '../../rules/probe/emulation.js';
import { groupName, signatureSchemeName } from '../../rules/probe/tls-names.data.js';
import { describeCertificate } from './cert-describe.js';
import { describeSuite, suitesFor, type CipherSuiteRef } from './cipher-suites.js';
import type { ClientProfile } from './client-profiles.js';
import { buildProfileHello } from './profile-hello.js';
import { rawHandshake, type RawHandshakeResult } from './raw-handshake.js';
import type { StartTlsProtocol } from './starttls/schemes.js';
import { alertName, SIGNATURE_ALGORITHMS, SUPPORTED_GROUPS } from './tls-constants.js';
import { createKeyShare } from './tls13/key-share.js';
import { readTls13Flight, type Tls13ReadResult } from './tls13/read-flight.js';

export interface EmulationTarget {
  address: string;
  port: number;
  servername?: string;
  starttls?: StartTlsProtocol;
  timeoutMs: () => number;
}

export interface EmulationReport {
  client: string;
  name: string;
  version: string;
  source: ClientProfile['source']['kind'];
  answer: ServerAnswer;
  clues: RefusalClues;
  verdict: EmulationVerdict;
  negotiated?: { protocol: string; cipher: CipherSuiteRef; group?: string; signatureScheme?: string; serverKey?: { type: string; bits: number | null } };
  /** What could not be read of the server's answer (a group node:crypto cannot finish, say). */
  partial?: string;
  handshakes: number;
}

export const CODE_NAMES: CodeNames = {
  suite: (code) => describeSuite(code).openssl ?? describeSuite(code).iana,
  group: groupName,
  sigalg: signatureSchemeName,
};

function keyOf(der: Buffer | undefined): ServerAnswer['serverKey'] {
  if (!der) return undefined;
  try {
    const entry = describeCertificate(der);
    return { type: entry.keyType, bits: entry.keyBits };
  } catch {
    return undefined;
  }
}

/** Key shares for a hello whose answer is read in clear (the TLS 1.3 exchange is never finished there). */
function shares(groups: readonly number[]): { group: number; key: Buffer }[] {
  return groups.flatMap((g) => {
    const share = createKeyShare(g);
    return share ? [{ group: g, key: share.publicValue }] : [];
  });
}

function fromTls13(f: Tls13ReadResult): { answer: ServerAnswer; partial?: string } | 'tls12' {
  const sh = f.serverHello;
  switch (f.outcome) {
    case 'not-tls13':
      return 'tls12';
    case 'flight-read':
    case 'unsupported-choice':
    case 'decrypt-failed':
    case 'malformed': {
      if (!sh) return { answer: { outcome: 'closed' }, ...(f.detail ? { partial: f.detail } : {}) };
      const answer: ServerAnswer = {
        outcome: 'hello',
        version: 'TLSv1.3',
        suite: sh.cipherSuite,
        ...((f.retryGroup ?? sh.keyShareGroup) !== undefined ? { group: (f.retryGroup ?? sh.keyShareGroup) as number } : {}),
        ...(f.certificateVerifyScheme !== undefined ? { signatureScheme: f.certificateVerifyScheme } : {}),
        ...(keyOf(f.certificates?.[0]) ? { serverKey: keyOf(f.certificates?.[0]) } : {}),
      };
      return f.outcome === 'flight-read' ? { answer } : { answer, partial: `the server's flight was not read to the end: ${f.detail ?? f.outcome}` };
    }
    case 'alert':
      return { answer: { outcome: 'alert', alert: alertName(f.alert?.description ?? 0) } };
    case 'timeout':
      return { answer: { outcome: 'timeout' } };
    case 'tcp-failed':
      return { answer: { outcome: 'unreachable' } };
    default:
      return { answer: { outcome: 'closed' } };
  }
}

function fromTls12(r: RawHandshakeResult): ServerAnswer {
  if (r.tcp !== 'connected') return { outcome: r.tcp === 'timeout' ? 'timeout' : 'unreachable' };
  if (r.serverHello) {
    const ke = r.keyExchange;
    return {
      outcome: 'hello',
      version: r.serverHello.version,
      suite: r.serverHello.cipherSuite,
      ...(ke?.kind === 'ecdhe' ? { group: ke.group } : {}),
      ...(ke?.kind === 'dhe' ? { dheBits: ke.bits } : {}),
      ...(ke?.signatureScheme !== undefined ? { signatureScheme: ke.signatureScheme } : {}),
      ...(keyOf(r.certificates?.[0]) ? { serverKey: keyOf(r.certificates?.[0]) } : {}),
    };
  }
  if (r.outcome === 'alert') return { outcome: 'alert', alert: r.alert?.name ?? 'unknown' };
  if (r.outcome === 'timeout') return { outcome: 'timeout' };
  if (r.outcome === 'not-tls') return { outcome: 'not-tls' };
  return { outcome: 'closed' };
}

/** Says why an RSA-only or ECDSA-only suite list fails against the server's key type. */
function suiteHint(p: ClientProfile, keyType: string | undefined): string | undefined {
  const legacy = p.suites.map((c) => describeSuite(c).iana).filter((n) => n.includes('_WITH_'));
  const tls13 = p.versions.includes('TLSv1.3') && p.suites.some((c) => c >> 8 === 0x13);
  if (tls13 || legacy.length === 0 || !keyType) return undefined;
  if (keyType === 'ec' && !legacy.some((n) => n.includes('_ECDSA_'))) return "the server's certificate has an EC key and the client offers RSA-authenticated suites only";
  if ((keyType === 'rsa' || keyType === 'rsa-pss') && legacy.every((n) => n.includes('_ECDSA_'))) return "the server's certificate has an RSA key and the client offers ECDSA-authenticated suites only";
  return undefined;
}

export async function emulateClient(p: ClientProfile, t: EmulationTarget, context: { serverVersions: Promise<string[]>; serverKeyType: Promise<string | undefined> }): Promise<EmulationReport> {
  const common = { address: t.address, port: t.port, ...(t.starttls ? { starttls: t.starttls } : {}) };
  const sni = t.servername ? { servername: t.servername } : {};
  let handshakes = 0;
  const clear = (override?: Parameters<typeof buildProfileHello>[1]['override'], until: 'server-hello' | 'server-hello-done' = 'server-hello'): Promise<RawHandshakeResult> => {
    handshakes++;
    const hello = buildProfileHello(p, { ...sni, keyShares: shares(p.keyShares), ...(override ? { override } : {}) });
    return rawHandshake({ ...common, hello, until, timeoutMs: t.timeoutMs() });
  };
  let answer: ServerAnswer;
  let partial: string | undefined;
  let read: ReturnType<typeof fromTls13> = 'tls12';
  if (p.versions.includes('TLSv1.3')) {
    handshakes++;
    const flight = await readTls13Flight({ ...common, timeoutMs: t.timeoutMs(), keyShareGroups: p.keyShares, groups: p.groups, untilCertificateVerify: true, hello: (parts) => buildProfileHello(p, { ...sni, ...parts }) });
    read = fromTls13(flight);
  }
  if (read === 'tls12') answer = fromTls12(await clear(undefined, 'server-hello-done'));
  else ({ answer, partial } = read);

  let clues: RefusalClues = {};
  if (answer.outcome === 'alert' || answer.outcome === 'closed' || answer.outcome === 'not-tls') {
    const serverVersions = await context.serverVersions;
    const accepted = (r: RawHandshakeResult): boolean => r.serverHello !== undefined;
    const otherSuites = [...new Set(p.versions.flatMap((v) => suitesFor(v)))];
    const otherGroups = [...p.groups, ...SUPPORTED_GROUPS.filter((g) => !p.groups.includes(g))];
    const [suites, groups, sigalgs, keyType] = await Promise.all([
      clear({ suites: otherSuites }),
      clear({ groups: otherGroups }),
      clear({ signatureAlgorithms: SIGNATURE_ALGORITHMS }),
      context.serverKeyType,
    ]);
    const hint = accepted(suites) ? suiteHint(p, keyType) : undefined;
    clues = { serverVersions, otherSuitesAccepted: accepted(suites), otherGroupsAccepted: accepted(groups), otherSigalgsAccepted: accepted(sigalgs), ...(hint ? { suiteHint: hint } : {}) };
  }
  const verdict = judgeEmulation(p, answer, clues, CODE_NAMES);
  const report: EmulationReport = { client: p.id, name: p.name, version: p.version, source: p.source.kind, answer, clues, verdict, handshakes };
  if (partial) report.partial = partial;
  if (answer.outcome === 'hello' && answer.version && answer.suite !== undefined) {
    report.negotiated = {
      protocol: answer.version,
      cipher: describeSuite(answer.suite),
      ...(answer.group !== undefined ? { group: groupName(answer.group) } : {}),
      ...(answer.signatureScheme !== undefined ? { signatureScheme: signatureSchemeName(answer.signatureScheme) } : {}),
      ...(answer.serverKey ? { serverKey: answer.serverKey } : {}),
    };
  }
  return report;
}
