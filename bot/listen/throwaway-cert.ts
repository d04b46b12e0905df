// The listener's throw-away certificate: a fresh RSA-2048 key and a self-signed certificate valid
// for a day, made when the listener starts. RSA because every client that ever spoke TLS can use it
// (an ECDSA certificate would turn away clients that offer RSA-authenticated suites only). Clients
// that verify certificates reject it, which the listener expects and reports as such.
import { createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import { bitString, boolean, explicit, nullValue, octets, oid, sequence, set, time, tlv, unsignedInteger, utf8 } from './der-write.js';

export interface ListenerCertificate {
  certPem: string;
  keyPem: string;
  subject: string;
}

const SHA256_WITH_RSA = sequence(oid('1.2.840.113549.1.1.11'), nullValue());
export const THROWAWAY_SUBJECT = 'CN=tls-triage listener (throw-away certificate)';

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export function throwawayCertificate(now: Date = new Date()): ListenerCertificate {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const name = sequence(set(sequence(oid('2.5.4.3'), utf8('tls-triage listener (throw-away certificate)'))));
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const extensions = explicit(
    3,
    sequence(
      sequence(oid('2.5.29.19'), boolean(true), octets(sequence())), // basicConstraints: not a CA
      sequence(oid('2.5.29.15'), boolean(true), octets(tlv(0x03, Buffer.from([0x05, 0xa0])))), // digitalSignature, keyEncipherment
      sequence(oid('2.5.29.37'), octets(sequence(oid('1.3.6.1.5.5.7.3.1')))), // serverAuth
      sequence(oid('2.5.29.17'), octets(sequence(tlv(0x82, Buffer.from('tls-triage-listener.invalid'))))),
    ),
  );
  const tbs = sequence(
    explicit(0, unsignedInteger(Buffer.from([2]))),
    unsignedInteger(serial),
    SHA256_WITH_RSA,
    name,
    sequence(time(new Date(now.getTime() - 3600_000)), time(new Date(now.getTime() + 24 * 3600_000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    extensions,
  );
  const signature = createSign('sha256').update(tbs).sign(privateKey);
  const certificate = sequence(tbs, SHA256_WITH_RSA, bitString(signature));
  return { certPem: pem('CERTIFICATE', certificate), keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), subject: THROWAWAY_SUBJECT };
}
