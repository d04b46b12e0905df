import type { CaptureConnection, CaptureStep, CertificateName } from './types.js';
import { alertSized } from './story.js';

// The handshake ladder: one line per step, client and server columns as arrows, so the reply reads
// like the sequence diagram an engineer would draw from Wireshark. Frame numbers let them open the
// same packet there.

export interface LadderStep {
  /** Frame number in the capture. */
  readonly packet: number;
  readonly from: 'client' | 'server';
  /** "client -> server  ClientHello TLSv1.2 (max), 12 suites, SNI a.example". */
  readonly line: string;
}

export interface LadderEntry {
  readonly client: string;
  readonly server: string;
  readonly cause: string;
  /** Connections that went exactly like this one. */
  readonly count: number;
  /** Bytes of the connection are missing from the capture: the ladder stops where they do. */
  readonly incomplete: boolean;
  /** One sentence: who ended the handshake, at which step, with what. */
  readonly summary: string;
  readonly steps: readonly LadderStep[];
  readonly stepsOmitted: number;
}

const LIST_BOUND = 3;

export function ladderSteps(c: CaptureConnection): LadderStep[] {
  return c.steps.map((s) => ({ packet: s.packet, from: s.from, line: `${s.from === 'client' ? 'client -> server' : 'server -> client'}  ${describeStep(s)}` }));
}

export function describeStep(s: CaptureStep): string {
  switch (s.kind) {
    case 'syn':
      return '[SYN]';
    case 'syn-ack':
      return '[SYN, ACK]';
    case 'fin':
      return '[FIN] closes its side';
    case 'rst':
      return '[RST] resets the connection';
    case 'change-cipher-spec':
      return 'ChangeCipherSpec';
    case 'gap':
      return 'bytes missing from the capture from here on (not decoded further)';
    case 'client-hello': {
      const format = s.format === 'sslv2' ? ' (SSLv2 format)' : '';
      const versions = s.versions ? `${s.versions.join(', ')} (supported_versions)` : `${s.version} (max)`;
      const sni = s.sni ? `, SNI ${s.sni}` : ', no SNI';
      return `ClientHello${format} ${versions}, ${s.suiteCount} suite${s.suiteCount === 1 ? '' : 's'}${sni}`;
    }
    case 'server-hello':
      return s.helloRetry ? `HelloRetryRequest ${s.version}, ${s.suite}` : `ServerHello ${s.version}, ${s.suite}`;
    case 'certificate':
      return s.count === 0 ? 'Certificate (empty: no certificate)' : `Certificate (${s.count}): ${describeChain(s.chain, s.count)}`;
    case 'certificate-request':
      return s.authorities.length === 0 ? 'CertificateRequest (any CA)' : `CertificateRequest (CAs: ${bounded(s.authorities, '; ')})`;
    case 'handshake':
      return s.name;
    case 'alert':
      return `Alert ${s.level} ${s.description}`;
    case 'encrypted':
      if (s.alert) return 'Alert (encrypted)';
      if (alertSized(s)) return `encrypted record of ${s.sizes[0] ?? 0} bytes (the size of an alert)`;
      return `encrypted (${s.records} record${s.records === 1 ? '' : 's'}, ${s.bytes} bytes)`;
    case 'http-request':
      return `plain HTTP: "${s.text}"`;
    case 'plaintext':
      return s.echo ? 'echoes the client\'s bytes back (not a TLS server)' : `not TLS: "${s.text}"`;
    case 'partial':
      return `incomplete record (${s.bytes} bytes): the rest is not in the capture`;
  }
}

function describeChain(chain: readonly CertificateName[], count: number): string {
  const names = chain.slice(0, LIST_BOUND).map((c) => (c.subject === c.issuer ? `${c.subject} (self-signed)` : `${c.subject}, issued by ${c.issuer}`));
  return `${names.join('; ')}${count > LIST_BOUND ? `; +${count - LIST_BOUND} more` : ''}`;
}

function bounded(items: readonly string[], separator: string): string {
  return `${items.slice(0, LIST_BOUND).join(separator)}${items.length > LIST_BOUND ? `${separator}+${items.length - LIST_BOUND} more` : ''}`;
}
