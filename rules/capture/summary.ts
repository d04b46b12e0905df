import type { CaptureConnection, CaptureStep } from './types.js';
import type { ConnectionStory } from './story.js';
import { hostOf } from '../host-port.js';

// The sentence a reply leads with for one connection — who ended the handshake, at which step,
// with what — and the placeholder values the rule texts of catalog/capture.json use.

export function abortSentence(c: CaptureConnection, story: ConnectionStory): string {
  const who = (side: 'client' | 'server'): string => (side === 'client' ? `the client ${c.client}` : `the server ${c.server}`);
  if (story.synOnly === 'refused') return `The server ${c.server} refused the TCP connection (RST to the SYN): TLS never started`;
  if (story.synOnly === 'unanswered') return `Nothing answered the SYN to ${c.server}: TLS never started`;
  if (story.httpRequest && !story.hello) {
    const answer = story.serverPlaintext ? `answered "${story.serverPlaintext.text}"` : story.serverSpokeTls ? 'answered in TLS' : story.serverClosed ? 'closed the connection' : 'did not answer';
    return `The client ${c.client} sent plain HTTP ("${story.httpRequest.text}") to ${c.server}; the server ${answer}`;
  }
  if (story.hello && story.serverPlaintext && !story.serverHello) {
    const what = story.serverPlaintext.echo ? 'sent the same bytes back (an echo)' : `answered with text that is not TLS ("${story.serverPlaintext.text}")`;
    return `The client ${c.client} sent a ClientHello; ${c.server} ${what} (frame ${story.serverPlaintext.packet})`;
  }
  const abort = story.abort;
  if (abort && !story.complete) {
    const by = capitalize(who(abort.by));
    const after = abort.after ? ` after ${abort.after.from === 'client' ? "the client's" : "the server's"} ${stepName(abort.after)}` : '';
    const frame = ` (frame ${abort.step.packet})`;
    const s = abort.step;
    if (s.kind === 'alert') return `${by} sent a ${s.level} ${s.description} alert${after}${frame}`;
    if (abort.how === 'encrypted-alert') {
      return story.tls13 ? `${by} sent an encrypted record the size of an alert and closed${after}${frame}; TLS 1.3 encrypts the alert's description` : `${by} sent an encrypted alert${after}${frame}`;
    }
    if (abort.how === 'rst') return `${by} reset the connection${after}${frame}, without an alert`;
    return `${by} closed the connection${after}${frame}, without an alert`;
  }
  if (story.hello && !story.serverSpokeTls) return `The server ${c.server} never answered the ClientHello (frame ${story.hello.packet}) in this capture`;
  if (story.complete && story.serverHello) return `The handshake completed: ${story.serverHello.version}, ${story.serverHello.suite}`;
  return `No TLS handshake between ${c.client} and ${c.server}`;
}

/** A short name for a step, as "after the server's ..." reads it. */
export function stepName(s: CaptureStep): string {
  switch (s.kind) {
    case 'client-hello':
      return 'ClientHello';
    case 'server-hello':
      return s.helloRetry ? 'HelloRetryRequest' : 'ServerHello';
    case 'certificate':
      return s.count === 0 ? 'empty Certificate' : 'Certificate';
    case 'certificate-request':
      return 'CertificateRequest';
    case 'handshake':
      return s.name;
    case 'change-cipher-spec':
      return 'ChangeCipherSpec';
    case 'encrypted':
      return s.from === 'server' ? 'encrypted flight' : 'encrypted Finished';
    case 'alert':
      return `${s.description} alert`;
    case 'http-request':
      return 'HTTP request';
    case 'plaintext':
      return 'plain text';
    default:
      return s.kind;
  }
}

/** Values for {placeholders} in catalog/capture.json texts, from the connection the diagnosis speaks for. */
export function captureValues(c: CaptureConnection, story: ConnectionStory, name: string, sentence: string): Record<string, string> {
  const hello = story.hello;
  const alert = story.abort?.step.kind === 'alert' ? story.abort.step.description : 'an alert';
  const leaf = story.serverCertificate?.chain[0];
  return {
    client: c.client,
    server: c.server,
    host: hostOf(c.server),
    port: c.server.slice(c.server.lastIndexOf(':') + 1),
    clientMax: story.clientMax ?? 'unknown',
    offered: hello ? (hello.versions ?? [hello.version]).join(', ') : 'unknown',
    serverVersion: story.serverHello?.version ?? 'no ServerHello',
    suite: story.serverHello?.suite ?? 'none',
    suites: String(hello?.suiteCount ?? 0),
    sni: hello?.sni ?? c.server,
    alert,
    subject: leaf?.subject ?? 'the server certificate',
    issuer: leaf?.issuer ?? "the server certificate's issuer",
    certificate: leaf ? `${leaf.subject}, issued by ${leaf.issuer}` : story.tls13 ? 'encrypted: TLS 1.3' : 'not in the capture',
    cas: story.certificateRequest ? story.certificateRequest.authorities.join('; ') || 'any CA' : 'not visible',
    http: story.httpRequest?.text ?? '',
    answer: story.serverPlaintext ? (story.serverPlaintext.echo ? "an echo of the client's own bytes" : `"${story.serverPlaintext.text}"`) : 'nothing',
    frame: String(story.abort?.step.packet ?? c.firstPacket),
    name: /^[\w./:@+-]+$/.test(name) ? name : `'${name.replace(/'/g, `'\\''`)}'`,
    abort: sentence,
  };
}

export function fillWith(values: Record<string, string>): (text: string) => string {
  return (text) => text.replace(/\{([a-zA-Z]+)\}/g, (whole, key: string) => values[key] ?? whole);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
