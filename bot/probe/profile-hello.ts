// Another client's ClientHello, from its profile (bot/probe/client-profiles.ts): its versions, its
// suites in its order, its groups and key shares, its signature algorithms, its extensions in the
// order it sends them. The server sees that client, not the probe. The emulation's variants swap
// one list (suites, groups or signature algorithms) for the probe's to find the one that fails.
import { randomBytes } from 'node:crypto';
import type { ClientProfile } from './client-profiles.js';
import { ext, isHostName, list16, u16, u24, u8, vec16, vec8 } from './client-hello.js';
import { WIRE_VERSION } from './protocol-names.js';
import { CONTENT_TYPE, HANDSHAKE_TYPE } from './tls-constants.js';

export interface ProfileHelloOptions {
  servername?: string;
  keyShares: readonly { group: number; key: Buffer }[];
  random?: Buffer;
  sessionId?: Buffer;
  cookie?: Buffer;
  /** Lists that replace the profile's (the emulation's variant hellos). */
  override?: { suites?: readonly number[]; groups?: readonly number[]; signatureAlgorithms?: readonly number[] };
}

function body(p: ClientProfile, type: number, name: string | undefined, o: ProfileHelloOptions): Buffer | undefined {
  const groups = o.override?.groups ?? p.groups;
  const sigalgs = o.override?.signatureAlgorithms ?? p.signatureAlgorithms;
  switch (name) {
    case 'server_name':
      return o.servername && isHostName(o.servername) ? vec16(Buffer.concat([u8(0), vec16(Buffer.from(o.servername, 'ascii'))])) : undefined;
    case 'supported_groups':
      return vec16(list16(groups));
    case 'ec_point_formats':
      return vec8(Buffer.from(p.pointFormats));
    case 'signature_algorithms':
      return vec16(list16(sigalgs));
    case 'signature_algorithms_cert':
      return vec16(list16(o.override?.signatureAlgorithms ?? p.signatureAlgorithmsCert ?? sigalgs));
    case 'supported_versions':
      return vec8(list16(p.versions.map((v) => WIRE_VERSION[v])));
    case 'key_share':
      return vec16(Buffer.concat(o.keyShares.map((s) => Buffer.concat([u16(s.group), vec16(s.key)]))));
    case 'psk_key_exchange_modes':
      return vec8(Buffer.from([1]));
    case 'application_layer_protocol_negotiation':
      return p.alpn.length > 0 ? vec16(Buffer.concat(p.alpn.map((a) => vec8(Buffer.from(a, 'latin1'))))) : undefined;
    case 'status_request':
      return Buffer.from([1, 0, 0, 0, 0]); // OCSP, no responder ids, no extensions
    case 'renegotiation_info':
      return vec8(Buffer.alloc(0));
    case 'cookie':
      return o.cookie ? vec16(o.cookie) : undefined;
    case 'padding':
      return undefined; // sized at the end
    case 'record_size_limit':
      return u16(0x4001);
    default:
      // session_ticket, extended_master_secret, encrypt_then_mac, post_handshake_auth,
      // signed_certificate_timestamp, ...: empty in a first ClientHello.
      return type >= 0 ? Buffer.alloc(0) : undefined;
  }
}

export function buildProfileHello(p: ClientProfile, o: ProfileHelloOptions): Buffer {
  const tls13 = p.versions.includes('TLSv1.3');
  const highest = p.versions[0] ?? 'TLSv1.2';
  const legacyVersion = tls13 ? 0x0303 : WIRE_VERSION[highest];
  const parts: Buffer[] = [];
  let padding = false;
  for (const e of p.extensions) {
    if ('data' in e) {
      parts.push(ext(e.type, e.data));
      continue;
    }
    if (e.name === 'padding') padding = true;
    const data = body(p, e.type, e.name, o);
    if (data) parts.push(ext(e.type, data));
  }
  // After a HelloRetryRequest the cookie goes back even if the first hello had no such extension.
  if (o.cookie && !p.extensions.some((e) => 'name' in e && e.name === 'cookie')) parts.push(ext(44, vec16(o.cookie)));
  const sessionId = o.sessionId ?? (p.sessionId ? randomBytes(32) : Buffer.alloc(0));
  const fixed = Buffer.concat([u16(legacyVersion), o.random ?? randomBytes(32), vec8(sessionId), vec16(list16(o.override?.suites ?? p.suites)), vec8(Buffer.from([0]))]);
  let extensions = Buffer.concat(parts);
  // OpenSSL and BoringSSL pad hellos of 256..511 bytes past 512 (RFC 7685); so do profiles that list padding.
  const length = fixed.length + 2 + extensions.length;
  if (padding && length >= 0x100 && length < 0x200) extensions = Buffer.concat([extensions, ext(21, Buffer.alloc(Math.max(1, 0x200 - length - 4)))]);
  const message = Buffer.concat([fixed, vec16(extensions)]);
  const handshake = Buffer.concat([u8(HANDSHAKE_TYPE.clientHello), u24(message.length), message]);
  return Buffer.concat([u8(CONTENT_TYPE.handshake), u16(WIRE_VERSION[p.recordVersion]), vec16(handshake)]);
}
