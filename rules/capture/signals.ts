import type { CaptureConnection } from './types.js';
import { storyOf, versionRank, type ConnectionStory } from './story.js';

// One connection of a capture becomes signals the same engine reads (catalog/capture.json). Signals
// say what the wire showed — who sent which alert, at which step, who reset — and the rule file
// decides what that means, as for log lines. Context signals (what was offered, how far the
// handshake got) never make a connection fail on their own.

/** Alert descriptions a rule may name; any other fatal alert is `.other`. */
export const CAPTURE_ALERTS = [
  'protocol_version', 'handshake_failure', 'insufficient_security', 'unknown_ca', 'bad_certificate', 'certificate_unknown',
  'certificate_expired', 'certificate_revoked', 'unsupported_certificate', 'certificate_required', 'access_denied', 'decrypt_error',
  'decode_error', 'illegal_parameter', 'unexpected_message', 'internal_error', 'unrecognized_name', 'no_application_protocol',
  'inappropriate_fallback', 'missing_extension', 'unsupported_extension', 'bad_record_mac', 'record_overflow', 'user_canceled', 'other',
] as const;

const CAUSAL = [
  'capture.plain-http', 'capture.not-tls-server', 'capture.client-legacy-ssl', 'capture.reset-after-client-hello',
  'capture.closed-after-client-hello', 'capture.no-server-hello', 'capture.reset-during-handshake', 'capture.closed-during-handshake',
  'capture.encrypted-alert-during-handshake', 'capture.tls13-client-abort', 'capture.tls13-server-abort', 'capture.syn-refused',
  'capture.syn-unanswered',
] as const;

/** Every signal that can make a connection fail; rule files may reference them. */
export const CAPTURE_SIGNALS: readonly string[] = [
  ...CAUSAL,
  ...CAPTURE_ALERTS.flatMap((a) => [`capture.alert-from-server.${a}`, `capture.alert-from-client.${a}`]),
];

/** Say what was offered and how far the handshake got, never what is wrong. */
export const CAPTURE_CONTEXT_SIGNALS = [
  'capture.client-hello', 'capture.server-hello', 'capture.hello-retry', 'capture.tls13', 'capture.server-certificate',
  'capture.server-certificate-self-signed', 'capture.certificate-request', 'capture.client-certificate', 'capture.client-certificate-empty',
  'capture.no-client-certificate', 'capture.handshake-complete', 'capture.incomplete', 'capture.client-hello-legacy-versions',
  'capture.client-offers-tls13', 'capture.server-speaks-higher', 'capture.server-speaks-lower', 'capture.alert-answers-client-hello',
  'capture.alert-after-server-certificate', 'capture.alert-after-client-certificate', 'capture.negotiated-legacy', 'capture.http',
  'capture.proxy-connect', 'capture.not-tls',
] as const;

type ContextSignal = (typeof CAPTURE_CONTEXT_SIGNALS)[number];
type CausalSignal = (typeof CAUSAL)[number] | `capture.alert-from-${'server' | 'client'}.${(typeof CAPTURE_ALERTS)[number]}`;

/** What other connections of the same capture tell about a server endpoint. */
export interface ServerKnowledge {
  /** Versions the endpoint negotiated (ServerHello) in any connection. */
  readonly versions: ReadonlyMap<string, ReadonlySet<string>>;
}

export interface ConnectionSignals {
  readonly story: ConnectionStory;
  readonly signals: string[];
  readonly causal: number;
}

const KNOWN_ALERTS: ReadonlySet<string> = new Set(CAPTURE_ALERTS);
const LEGACY_NEGOTIATED = ['SSLv3', 'TLSv1', 'TLSv1.1'];

export function connectionSignals(c: CaptureConnection, known: ServerKnowledge): ConnectionSignals {
  const story = storyOf(c);
  const context = new Set<ContextSignal>();
  const causal = new Set<CausalSignal>();
  const { hello, abort } = story;
  if (c.incomplete) context.add('capture.incomplete');
  if (story.synOnly) causal.add(story.synOnly === 'refused' ? 'capture.syn-refused' : 'capture.syn-unanswered');
  if (hello) {
    context.add('capture.client-hello');
    if (hello.versions === null) context.add('capture.client-hello-legacy-versions');
    if (hello.versions?.includes('TLSv1.3')) context.add('capture.client-offers-tls13');
    if (story.clientMax && versionRank(story.clientMax) >= 0 && versionRank(story.clientMax) <= versionRank('SSLv3')) causal.add('capture.client-legacy-ssl');
    const negotiated = [...(known.versions.get(c.server) ?? [])].map(versionRank);
    if (story.clientMax && negotiated.some((v) => v > versionRank(story.clientMax as string))) context.add('capture.server-speaks-higher');
    if (story.clientMin && negotiated.some((v) => v >= 0 && v < versionRank(story.clientMin as string))) context.add('capture.server-speaks-lower');
  }
  if (story.serverHello) {
    context.add('capture.server-hello');
    if (story.complete && LEGACY_NEGOTIATED.includes(story.serverHello.version)) context.add('capture.negotiated-legacy');
    if (story.serverHello.version === 'SSLv3') causal.add('capture.client-legacy-ssl');
  }
  if (story.helloRetry) context.add('capture.hello-retry');
  if (story.tls13) context.add('capture.tls13');
  const leaf = story.serverCertificate?.chain[0];
  if (story.serverCertificate) context.add('capture.server-certificate');
  if (leaf && leaf.subject === leaf.issuer) context.add('capture.server-certificate-self-signed');
  if (story.certificateRequest) context.add('capture.certificate-request');
  if (story.clientCertificate) context.add(story.clientCertificate.count === 0 ? 'capture.client-certificate-empty' : 'capture.client-certificate');
  if (story.complete) context.add('capture.handshake-complete');

  if (story.httpRequest) {
    if (story.httpRequest.text.startsWith('CONNECT ')) context.add('capture.proxy-connect');
    // Plain HTTP to a TLS port: the server answers in TLS, says so in HTTP (nginx's 400), drops it
    // without a word, or speaks TLS on the same port in another connection of this capture.
    const tlsPort = story.serverSpokeTls || story.serverPlaintext?.mentionsTls === true || known.versions.has(c.server) || (!story.serverPlaintext && story.serverClosed);
    if (tlsPort) causal.add('capture.plain-http');
    else context.add('capture.http');
  } else if (hello && story.serverPlaintext && !story.serverHello) {
    causal.add('capture.not-tls-server');
  } else if (!hello && !story.synOnly && c.steps.some((s) => s.kind === 'plaintext' || s.kind === 'partial')) {
    context.add('capture.not-tls');
  }

  if (hello && abort && !story.complete && !causal.has('capture.not-tls-server')) {
    const { by, how, step, after } = abort;
    if (step.kind === 'alert') {
      const name = KNOWN_ALERTS.has(step.description) ? step.description : 'other';
      causal.add(`capture.alert-from-${by}.${name as (typeof CAPTURE_ALERTS)[number]}`);
      if (by === 'server' && !story.serverHello) context.add('capture.alert-answers-client-hello');
      if (by === 'client' && story.serverCertificate && after?.from === 'server' && clientQuietSinceHello(c, step.packet)) context.add('capture.alert-after-server-certificate');
      if (by === 'server' && story.clientCertificate && story.clientCertificate.packet <= step.packet) context.add('capture.alert-after-client-certificate');
      if (by === 'server' && story.certificateRequest && !story.clientCertificate) context.add('capture.no-client-certificate');
    } else if (how === 'encrypted-alert') {
      causal.add(story.tls13 ? (by === 'client' ? 'capture.tls13-client-abort' : 'capture.tls13-server-abort') : 'capture.encrypted-alert-during-handshake');
    } else if (!story.serverHello && !story.serverSpokeTls) {
      if (by === 'server') causal.add(how === 'rst' ? 'capture.reset-after-client-hello' : 'capture.closed-after-client-hello');
      else causal.add('capture.no-server-hello');
    } else {
      causal.add(how === 'rst' ? 'capture.reset-during-handshake' : 'capture.closed-during-handshake');
    }
  } else if (hello && !abort && !story.complete && !story.serverSpokeTls && !story.serverPlaintext && !c.incomplete) {
    // A ClientHello nobody answered before the capture ended.
    causal.add('capture.no-server-hello');
  }
  return { story, signals: [...context, ...causal].sort(), causal: causal.size };
}

/** The client sent nothing but its ClientHello (and TCP) before `packet`: it is reacting to the server's flight. */
function clientQuietSinceHello(c: CaptureConnection, packet: number): boolean {
  return !c.steps.some((s) => s.from === 'client' && s.packet < packet && s.kind !== 'client-hello' && s.kind !== 'syn' && s.kind !== 'fin' && s.kind !== 'rst' && s.kind !== 'alert');
}

/** Server endpoints and the versions they negotiated, over every connection of the capture. */
export function serverKnowledge(connections: Iterable<CaptureConnection>): ServerKnowledge {
  const versions = new Map<string, Set<string>>();
  for (const c of connections) {
    for (const s of c.steps) {
      if (s.kind !== 'server-hello' || s.helloRetry) continue;
      let set = versions.get(c.server);
      if (!set) versions.set(c.server, (set = new Set()));
      set.add(s.version);
    }
  }
  return { versions };
}
