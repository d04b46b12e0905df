// The listener's TLS settings: the versions it stands in for (--versions), every cipher suite
// OpenSSL still has (so a client is turned away for its versions, not for a suite list the listener
// made up), automatic DH and ECDH parameters, and the certificate it presents.
import { constants } from 'node:crypto';
import { createSecureContext, type SecureContext, type SecureVersion } from 'node:tls';
import type { ListenProtocol } from '../../rules/listen/signals.js';
import { TriageError } from '../errors.js';

export type ListenerVersion = Extract<ListenProtocol, 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3'>;

export const LISTENER_VERSIONS: readonly ListenerVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

const NO_VERSION: Readonly<Record<ListenerVersion, number>> = {
  TLSv1: constants.SSL_OP_NO_TLSv1,
  'TLSv1.1': constants.SSL_OP_NO_TLSv1_1,
  'TLSv1.2': constants.SSL_OP_NO_TLSv1_2,
  'TLSv1.3': constants.SSL_OP_NO_TLSv1_3,
};

/** "tls1.2,tls1.3" (also "TLSv1.2", "1.2") -> the versions, oldest first. */
export function parseVersions(text: string): ListenerVersion[] {
  const out = new Set<ListenerVersion>();
  for (const raw of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const digits = /^(?:tls)?v?(1(?:\.[0-3])?)$/i.exec(raw.replace(/_/g, '.'))?.[1];
    const version = digits === '1' || digits === '1.0' ? 'TLSv1' : digits ? (`TLSv${digits}` as ListenerVersion) : undefined;
    if (!version || !LISTENER_VERSIONS.includes(version)) {
      throw new TriageError('USAGE', `--versions: "${raw}" is not one of tls1, tls1.1, tls1.2, tls1.3 (SSLv3 cannot be served: OpenSSL 3 has no SSLv3)`);
    }
    out.add(version);
  }
  if (out.size === 0) throw new TriageError('USAGE', '--versions needs at least one version, e.g. tls1.2,tls1.3');
  return LISTENER_VERSIONS.filter((v) => out.has(v));
}

export function listenerContext(versions: readonly ListenerVersion[], certificate: { certPem: string; keyPem: string }): SecureContext {
  const min = versions[0] as SecureVersion;
  const max = versions[versions.length - 1] as SecureVersion;
  // A gap (tls1 and tls1.2 without tls1.1) is switched off inside the range.
  const gaps = LISTENER_VERSIONS.filter((v) => LISTENER_VERSIONS.indexOf(v) > LISTENER_VERSIONS.indexOf(min as ListenerVersion) && LISTENER_VERSIONS.indexOf(v) < LISTENER_VERSIONS.indexOf(max as ListenerVersion) && !versions.includes(v));
  try {
    return createSecureContext({
      cert: certificate.certPem,
      key: certificate.keyPem,
      minVersion: min,
      maxVersion: max,
      // TLS 1.0/1.1 and the old suites need security level 0 in OpenSSL 3.
      ciphers: 'ALL:COMPLEMENTOFALL:@SECLEVEL=0:TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256',
      dhparam: 'auto',
      ecdhCurve: 'auto',
      secureOptions: gaps.reduce((flags, v) => flags | NO_VERSION[v], 0),
    });
  } catch (error) {
    throw new TriageError('INPUT_UNREADABLE', `cannot use the listener's certificate and key: ${(error as Error).message}`);
  }
}
