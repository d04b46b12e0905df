// Public face of the live TLS probe's network engine. Given an already resolved, policy-checked
// address, it runs: first contact (TCP + "speaks TLS?"), per-protocol raw ClientHellos, the
// node:tls verifying handshake and a raw TLS <= 1.2 full flight (certificate, client auth) in
// parallel, then the optional cipher enumeration. Network outcomes are data; nothing here throws
// for them, and every socket is bounded by `deadline`.
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { certificateParts } from './der.js';
import { buildClientHello } from './client-hello.js';
import { suitesFor } from './cipher-suites.js';
import { enumerateCiphers } from './ciphers.js';
import { checkCiphers, modernClientAgrees, type CipherChecksReport } from './cipher-checks.js';
import { buildCertificateReport } from './certificate.js';
import { clientAuthReport } from './client-auth.js';
import { Limiter } from './limiter.js';
import { budget } from './net-outcome.js';
import { nodeHandshake } from './node-handshake.js';
import { PROTOCOLS, type ProtocolName } from './protocol-names.js';
import { probeProtocols } from './protocols.js';
import { rawHandshake, type RawHandshakeResult } from './raw-handshake.js';
import type { CertificateReport, CiphersReport, ProbeEngineReport, ProtocolReport, StepName, StepReport } from './report-types.js';
import { firstContact } from './speaks-tls.js';
import type { StartTlsProtocol } from './starttls/schemes.js';
import type { ClientProfile } from './client-profiles.js';
import { describeCertificate } from './cert-describe.js';
import { emulateClient, type EmulationReport } from './emulate.js';
import { trustStore } from './trust-store.js';
import { readTls13Flight } from './tls13/read-flight.js';

export * from './report-types.js';
export { describeSuite, suitesFor } from './cipher-suites.js';
export { CIPHER_SUITE_ROWS } from './cipher-suites.data.js';
export { PROTOCOLS } from './protocol-names.js';

export interface EngineOptions {
  /** An already resolved and policy-checked IP (v4 or v6): the only address ever connected to. */
  address: string;
  port: number;
  /** SNI host name; omit for IP literals. */
  servername?: string;
  /** Extra trust anchors (PEM), added to Node's roots and the system bundle. */
  extraCaPem?: string[];
  /** Enumerate accepted cipher suites per protocol and the server preference. */
  ciphers: boolean;
  /** Absolute Date.now()-based ms timestamp bounding the whole run. */
  deadline: number;
  /** Clock for expiry computations. */
  now?: Date;
  /** Cap for any single connection attempt (default 5000 ms; the deadline still wins). */
  attemptTimeoutMs?: number;
  /** Maximum probe connections in flight (default 6). */
  concurrency?: number;
  /** Every connection runs this protocol's upgrade to TLS first (SMTP STARTTLS, LDAP StartTLS, ...). */
  starttls?: StartTlsProtocol;
  /** `probe --as CLIENT`: also send that client's ClientHello and judge whether it would connect. */
  emulate?: ClientProfile;
}

const DEFAULT_ATTEMPT_MS = 5000;
/** After a TLS 1.3 handshake: wait this long for a session ticket or a certificate_required alert. */
const POST_HANDSHAKE_WAIT_MS = 300;

/** Steps are reported in this order whatever order they finished in (they overlap). */
const STEP_ORDER: readonly StepName[] = ['tcp', 'starttls', 'speaks-tls', 'protocols', 'ciphers', 'cipher-checks', 'certificate', 'client-auth', 'emulation'];

async function timed<T>(steps: StepReport[], name: StepName, run: () => Promise<T>, outcome: (v: T) => { outcome: string; detail?: string }): Promise<T> {
  const t = Date.now();
  const v = await run();
  const o = outcome(v);
  steps.push({ name, outcome: o.outcome, ms: Date.now() - t, ...(o.detail ? { detail: o.detail } : {}) });
  return v;
}

function untested(outcome: 'not-tested' | 'not-tls'): ProtocolReport[] {
  return PROTOCOLS.map((protocol) => ({ protocol, accepted: false, outcome, ms: 0 }));
}

export async function runProbeEngine(opts: EngineOptions): Promise<ProbeEngineReport> {
  const started = Date.now();
  const now = opts.now ?? new Date();
  const attemptCap = opts.attemptTimeoutMs ?? DEFAULT_ATTEMPT_MS;
  // Set when some attempt got less than its normal time because of the deadline.
  let budgetClipped = false;
  const timeoutMs = (): number => {
    const ms = budget(opts.deadline, attemptCap);
    if (ms < attemptCap) budgetClipped = true;
    return ms;
  };
  // SNI only carries host names: an IP given as servername is used for the hostname check only.
  const sni = opts.servername && isIP(opts.servername) === 0 ? { servername: opts.servername } : {};
  const upgrade = opts.starttls ? { starttls: opts.starttls } : {};
  const steps: StepReport[] = [];
  const first = await firstContact(opts.address, opts.port, opts.servername, timeoutMs(), opts.starttls);
  steps.push({ name: 'tcp', outcome: first.tcp.outcome, ms: first.tcp.ms, ...(first.tcp.errorCode ? { detail: first.tcp.errorCode } : {}) });
  if (opts.starttls && first.tcp.outcome === 'connected') {
    const failure = first.speaksTls.starttlsFailure;
    steps.push({ name: 'starttls', outcome: failure ? failure.reason : 'ok', ms: first.raw.ms - first.raw.connectMs, detail: failure ? failure.message : opts.starttls });
  }
  const base = {
    target: { address: opts.address, port: opts.port, servername: opts.servername ?? null, ...upgrade },
    startedAt: new Date(started).toISOString(),
    tcp: first.tcp,
    speaksTls: first.speaksTls,
  };
  const finish = (r: Omit<ProbeEngineReport, keyof typeof base | 'steps' | 'durationMs' | 'deadlineHit'>): ProbeEngineReport => ({
    ...base,
    ...r,
    steps: [...steps].sort((a, b) => STEP_ORDER.indexOf(a.name) - STEP_ORDER.indexOf(b.name)),
    deadlineHit: budgetClipped && Date.now() >= opts.deadline - 5,
    durationMs: Date.now() - started,
  });
  const noClientAuth = { requested: null, required: null, acceptableCAs: [], seenVia: 'none' as const, note: 'Not tested.' };
  if (first.tcp.outcome !== 'connected') {
    return finish({ protocols: untested('not-tested'), ciphers: null, cipherChecks: null, certificate: null, clientAuth: noClientAuth });
  }
  steps.push({
    name: 'speaks-tls',
    outcome: first.speaksTls.value === null ? `unknown-${first.speaksTls.spoke}` : first.speaksTls.value ? 'tls' : first.speaksTls.spoke,
    ms: first.raw.ms - first.raw.connectMs,
    ...(first.speaksTls.httpStatusLine ? { detail: first.speaksTls.httpStatusLine } : first.speaksTls.banner ? { detail: first.speaksTls.banner } : {}),
  });
  if (first.speaksTls.value === false) {
    return finish({ protocols: untested('not-tls'), ciphers: null, cipherChecks: null, certificate: null, clientAuth: { ...noClientAuth, note: 'The port does not speak TLS.' } });
  }

  const limiter = new Limiter(opts.concurrency ?? 6);
  const protocolsP = timed(steps, 'protocols', () => probeProtocols({ address: opts.address, port: opts.port, ...sni, ...upgrade, timeoutMs, concurrency: 5 }), (ps) => ({
    outcome: ps.some((p) => p.accepted) ? 'ok' : 'none-accepted',
    detail: ps.filter((p) => p.accepted).map((p) => p.protocol).join(' ') || undefined,
  }));
  const cipherP: Promise<CiphersReport | null> = opts.ciphers
    ? protocolsP.then((ps) => {
        const accepted = ps.filter((p) => p.accepted).map((p) => p.protocol);
        return timed(steps, 'ciphers', () => enumerateCiphers(accepted, { address: opts.address, port: opts.port, ...sni, ...upgrade, limiter, timeoutMs, chunks: 3 }), (c) => ({
          outcome: c.protocols.every((p) => p.complete) ? 'ok' : 'incomplete',
          detail: c.protocols.map((p) => `${p.protocol}:${p.suites.length}`).join(' ') || undefined,
        }));
      })
    : Promise.resolve(null);
  const target = { address: opts.address, port: opts.port, ...sni, ...upgrade, timeoutMs };
  const modernP = modernClientAgrees(target);
  const cipherChecksP: Promise<CipherChecksReport> = Promise.all([protocolsP, cipherP]).then(([ps, enumerated]) =>
    timed(steps, 'cipher-checks', () => checkCiphers(target, ps.filter((p) => p.accepted).map((p) => p.protocol), modernP, enumerated), (c) => ({
      outcome: c.modernClientAgrees === false ? 'no-modern-suite' : c.weakSuites.length > 0 || (c.dheBits !== null && c.dheBits < 2048) ? 'weak' : 'ok',
      detail: [...new Set<string>(c.weakSuites.map((w) => w.reason)), ...(c.dheBits !== null ? [`DHE ${c.dheBits} bits`] : [])].join(' ') || undefined,
    })),
  );
  // Highest version <= 1.2 the server will do, whole flight: Certificate and CertificateRequest in clear.
  const rawFullP: Promise<RawHandshakeResult> = rawHandshake({
    address: opts.address,
    port: opts.port,
    hello: buildClientHello({ protocol: 'TLSv1.2', suites: suitesFor('TLSv1.2'), ...sni }),
    until: 'server-hello-done',
    timeoutMs: timeoutMs(),
    ...upgrade,
  });
  // TLS 1.3: the server's first flight decrypted (Certificate, CertificateRequest), whatever 1.2 says.
  const tls13P = readTls13Flight({ address: opts.address, port: opts.port, ...sni, ...upgrade, timeoutMs: timeoutMs() });

  const emulationP: Promise<EmulationReport | undefined> = opts.emulate
    ? timed(
        steps,
        'emulation',
        () =>
          emulateClient(opts.emulate as ClientProfile, { address: opts.address, port: opts.port, ...sni, ...upgrade, timeoutMs }, {
            serverVersions: protocolsP.then((ps) => ps.filter((x) => x.accepted).map((x) => x.protocol)),
            serverKeyType: Promise.all([rawFullP, tls13P]).then(([r, t]) => leafKeyType(t.certificates?.[0] ?? r.certificates?.[0])),
          }),
        (e) => ({ outcome: e.verdict.wouldConnect === null ? 'unknown' : e.verdict.wouldConnect ? 'would-connect' : (e.verdict.failure ?? 'would-not-connect'), detail: `${e.client}: ${e.verdict.reason}` }),
      )
    : Promise.resolve(undefined);
  const store = trustStore(opts.extraCaPem);
  const certStarted = Date.now();
  const [rawFull, tls13] = await Promise.all([rawFullP, tls13P]);
  // The chain exactly as sent: TLS 1.3's when the server speaks it (what modern clients get), else TLS 1.2's.
  let sent: Buffer[] = tls13.certificates ?? [];
  let chainSource: CertificateReport['chainSource'] = 'tls13-certificate-message';
  if (sent.length === 0 && rawFull.certificates?.length) {
    sent = rawFull.certificates;
    chainSource = 'tls-certificate-message';
  }
  // A server may send bytes that are no certificate: those are dropped, never thrown over.
  sent = sent.filter(parsesAsCertificate);
  // OpenSSL's verdict: with the anchors this chain can use when it is known, else with the whole store.
  const secureContext = sent.length > 0 ? store.contextFor(sent) : store.context();
  const verifying = await nodeHandshake({ address: opts.address, port: opts.port, ...sni, ...upgrade, secureContext, timeoutMs: timeoutMs(), postHandshakeWaitMs: POST_HANDSHAKE_WAIT_MS });
  if (sent.length === 0) {
    sent = verifying.chain;
    chainSource = 'node-tls';
  }
  const certificate = buildCertificateReport({ address: opts.address, ...(opts.servername ? { servername: opts.servername } : {}), sent, chainSource, verifying, store, now });
  steps.push({
    name: 'certificate',
    outcome: certificate ? (certificate.trusted ? 'trusted' : certificate.trusted === false ? 'untrusted' : 'unknown') : `none-${verifying.outcome}`,
    ms: Date.now() - certStarted,
    ...(certificate?.verifyError ? { detail: certificate.verifyError } : verifying.errorCode ? { detail: verifying.errorCode } : {}),
  });
  const clientAuth = clientAuthReport(rawFull, tls13, verifying);
  steps.push({
    name: 'client-auth',
    outcome: clientAuth.requested === null ? 'unknown' : clientAuth.requested ? (clientAuth.required ? 'required' : 'requested') : 'not-requested',
    ms: Math.max(rawFull.ms, verifying.ms, tls13.ms),
    detail: clientAuth.seenVia,
  });
  const [protocols, ciphers, cipherChecks, emulation] = await Promise.all([protocolsP, cipherP, cipherChecksP, emulationP]);
  return finish({ protocols, ciphers, cipherChecks, certificate, clientAuth, ...(emulation ? { emulation } : {}) });
}

function leafKeyType(der: Buffer | undefined): string | undefined {
  try {
    return der ? describeCertificate(der).keyType : undefined;
  } catch {
    return undefined;
  }
}

function parsesAsCertificate(der: Buffer): boolean {
  try {
    certificateParts(der);
    return new X509Certificate(der).subject !== undefined;
  } catch {
    return false;
  }
}

export type { ProtocolName };
