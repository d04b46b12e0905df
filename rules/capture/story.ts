import type { CaptureConnection, CaptureSide, CaptureStep } from './types.js';

// What one connection's steps amount to: who offered what, how far the handshake got, and the
// step that ended it early (a fatal alert, a reset, a close) with what the other side had just
// sent. Signals (capture-signals.ts) and the ladder's headline are read off this.

type Step<K extends CaptureStep['kind']> = Extract<CaptureStep, { kind: K }>;

const VERSION_ORDER = ['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

/** Position of a version name in protocol history; -1 for names the table does not know (drafts). */
export function versionRank(name: string): number {
  return VERSION_ORDER.indexOf(name);
}

/** TLS 1.3 (AES-GCM, ChaCha20: 16-byte tag) and CCM_8 (8-byte tag) records holding a 2-byte alert. */
const ALERT_RECORD_SIZES = [19, 11];

export function alertSized(step: Step<'encrypted'>): boolean {
  return step.records === 1 && ALERT_RECORD_SIZES.includes(step.sizes[0] ?? 0);
}

export interface Abort {
  readonly by: CaptureSide;
  readonly how: 'alert' | 'encrypted-alert' | 'rst' | 'fin';
  readonly step: CaptureStep;
  /** The other side's last TLS step before it (what was being answered), if any. */
  readonly after?: CaptureStep;
}

export interface ConnectionStory {
  readonly hello?: Step<'client-hello'>;
  readonly serverHello?: Step<'server-hello'>;
  readonly helloRetry: boolean;
  readonly tls13: boolean;
  readonly serverCertificate?: Step<'certificate'>;
  readonly certificateRequest?: Step<'certificate-request'>;
  readonly clientCertificate?: Step<'certificate'>;
  /** Highest version the ClientHello offers; lowest when supported_versions lists them. */
  readonly clientMax?: string;
  readonly clientMin?: string;
  readonly complete: boolean;
  readonly abort?: Abort;
  readonly httpRequest?: Step<'http-request'>;
  readonly serverPlaintext?: Step<'plaintext'>;
  /** The server sent at least one TLS record (a handshake message, an alert, encrypted data). */
  readonly serverSpokeTls: boolean;
  readonly serverClosed: boolean;
  readonly synOnly?: 'refused' | 'unanswered';
}

const TLS_KINDS: ReadonlySet<string> = new Set(['client-hello', 'server-hello', 'certificate', 'certificate-request', 'handshake', 'alert', 'encrypted', 'change-cipher-spec']);

export function storyOf(c: CaptureConnection): ConnectionStory {
  const steps = c.steps;
  const first = <K extends CaptureStep['kind']>(kind: K, from?: CaptureSide, where: (s: Step<K>) => boolean = () => true): Step<K> | undefined =>
    steps.find((s): s is Step<K> => s.kind === kind && (from === undefined || s.from === from) && where(s as Step<K>));
  const hello = first('client-hello', 'client');
  const serverHello = first('server-hello', 'server', (s) => !s.helloRetry);
  const tls13 = serverHello?.version === 'TLSv1.3';
  const versions = hello ? (hello.versions ?? [hello.version]) : [];
  const ranked = versions.filter((v) => versionRank(v) >= 0).sort((a, b) => versionRank(b) - versionRank(a));
  const { complete, abort } = tls13 ? tls13Outcome(steps) : tls12Outcome(steps);
  const serverSpokeTls = steps.some((s) => s.from === 'server' && TLS_KINDS.has(s.kind));
  const story: ConnectionStory = {
    helloRetry: first('server-hello', 'server', (s) => s.helloRetry) !== undefined,
    tls13,
    complete,
    serverSpokeTls,
    serverClosed: steps.some((s) => s.from === 'server' && (s.kind === 'fin' || s.kind === 'rst')),
    ...(hello ? { hello } : {}),
    ...(serverHello ? { serverHello } : {}),
    ...optional('serverCertificate', first('certificate', 'server')),
    ...optional('certificateRequest', first('certificate-request', 'server')),
    ...optional('clientCertificate', first('certificate', 'client')),
    ...optional('clientMax', ranked[0]),
    ...optional('clientMin', hello?.versions ? ranked[ranked.length - 1] : undefined),
    ...optional('abort', abort),
    ...optional('httpRequest', first('http-request', 'client')),
    ...optional('serverPlaintext', first('plaintext', 'server')),
  };
  const sawData = steps.some((s) => !['syn', 'syn-ack', 'fin', 'rst'].includes(s.kind));
  if (c.sawSyn && !sawData && !steps.some((s) => s.kind === 'syn-ack')) {
    const refused = steps.some((s) => s.from === 'server' && s.kind === 'rst');
    return { ...story, synOnly: refused ? 'refused' : 'unanswered' };
  }
  return story;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** TLS <= 1.2: done once both sides sent ChangeCipherSpec; anything fatal before that ends it. */
function tls12Outcome(steps: readonly CaptureStep[]): { complete: boolean; abort?: Abort } {
  const ccs = new Set<CaptureSide>();
  for (const [i, s] of steps.entries()) {
    if (ccs.size === 2) return { complete: true };
    const ending = endingOf(s, ccs.has(s.from));
    if (ending) return { complete: false, abort: { ...ending, step: s, ...optional('after', lastTlsStep(steps, i, other(s.from))) } };
    if (s.kind === 'change-cipher-spec') ccs.add(s.from);
  }
  return { complete: ccs.size === 2 };
}

/**
 * TLS 1.3 encrypts everything after the ServerHello, alerts included. What stays visible: the
 * server's encrypted flight, the client's answer, and what the server does next. A one-record
 * answer of an alert's size followed by a close is an encrypted alert; a real Finished is larger.
 */
function tls13Outcome(steps: readonly CaptureStep[]): { complete: boolean; abort?: Abort } {
  const sh = steps.findIndex((s) => s.kind === 'server-hello' && !s.helloRetry);
  let clientFinished = -1;
  for (let i = sh + 1; i < steps.length; i++) {
    const s = steps[i] as CaptureStep;
    if (s.kind === 'alert' && s.level !== 'warning') return { complete: false, abort: { by: s.from, how: 'alert', step: s, ...optional('after', lastTlsStep(steps, i, other(s.from))) } };
    if (s.kind === 'rst' || s.kind === 'fin') {
      if (clientFinished >= 0 && s.from === 'client') return { complete: true };
      return { complete: false, abort: { by: s.from, how: s.kind, step: s, ...optional('after', lastTlsStep(steps, i, other(s.from))) } };
    }
    if (s.kind !== 'encrypted') continue;
    if (s.from === 'client' && clientFinished < 0) {
      if (alertSized(s)) return { complete: false, abort: { by: 'client', how: 'encrypted-alert', step: s, ...optional('after', lastTlsStep(steps, i, 'server')) } };
      clientFinished = i;
    } else if (s.from === 'server' && clientFinished >= 0) {
      const closes = steps.slice(i + 1).some((t) => t.kind === 'fin' || t.kind === 'rst');
      if (alertSized(s) && closes && !steps.slice(i + 1).some((t) => t.from === 'server' && t.kind === 'encrypted')) {
        return { complete: false, abort: { by: 'server', how: 'encrypted-alert', step: s, after: steps[clientFinished] as CaptureStep } };
      }
      return { complete: true };
    }
  }
  return { complete: clientFinished >= 0 };
}

/** A fatal alert, an encrypted alert record before the handshake is done, a reset or a close. */
function endingOf(s: CaptureStep, encrypted: boolean): Pick<Abort, 'by' | 'how'> | undefined {
  if (s.kind === 'alert' && s.level !== 'warning') return { by: s.from, how: 'alert' };
  if (s.kind === 'encrypted' && s.alert && encrypted) return { by: s.from, how: 'encrypted-alert' };
  if (s.kind === 'rst' || s.kind === 'fin') return { by: s.from, how: s.kind };
  return undefined;
}

/** What in a flight the other side most likely reacted to: a certificate before anything else. */
const SIGNIFICANCE: readonly CaptureStep['kind'][] = ['certificate', 'certificate-request', 'encrypted', 'server-hello', 'client-hello', 'plaintext', 'http-request', 'handshake', 'alert', 'change-cipher-spec'];

/** The most significant step of `from`'s last flight before index `before`. */
function lastTlsStep(steps: readonly CaptureStep[], before: number, from: CaptureSide): CaptureStep | undefined {
  const flight: CaptureStep[] = [];
  for (let i = before - 1; i >= 0; i--) {
    const s = steps[i] as CaptureStep;
    if (s.kind === 'syn' || s.kind === 'syn-ack' || s.kind === 'fin' || s.kind === 'rst' || s.kind === 'gap' || s.kind === 'partial') continue;
    if (s.from === from) flight.unshift(s);
    else if (flight.length > 0) break;
  }
  const rank = (s: CaptureStep): number => SIGNIFICANCE.indexOf(s.kind);
  return flight.reduce<CaptureStep | undefined>((best, s) => (best === undefined || rank(s) < rank(best) ? s : best), undefined);
}

function other(side: CaptureSide): CaptureSide {
  return side === 'client' ? 'server' : 'client';
}
