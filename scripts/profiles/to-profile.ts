// A ClientHello read by bot/probe/hello-parse.ts, written in the profile format of
// rules/catalog/client-profiles.json (names, not numbers, wherever a name exists).
import { describeSuite } from '../../bot/probe/cipher-suites.js';
import type { ParsedClientHello } from '../../bot/probe/hello-parse.js';
import { protocolOfWire } from '../../bot/probe/protocol-names.js';
import { EXTENSION_NAMES, GROUP_NAMES, SIGNATURE_SCHEME_NAMES } from '../../rules/probe/tls-names.data.js';

const hex = (code: number): string => `0x${code.toString(16).padStart(4, '0')}`;

/**
 * Extensions bot/probe/profile-hello.ts rebuilds from the profile's lists (or sends empty, or with a
 * fixed body): written by name. Anything else, or one whose bytes differ from what the builder
 * would send, is kept as {type, data} so the emulated hello carries the client's exact bytes.
 */
const REBUILT = new Set(['server_name', 'supported_groups', 'ec_point_formats', 'signature_algorithms', 'signature_algorithms_cert', 'supported_versions', 'key_share', 'application_layer_protocol_negotiation', 'padding', 'cookie']);
const FIXED: Record<string, string> = { psk_key_exchange_modes: '0101', status_request: '0100000000', renegotiation_info: '00', record_size_limit: '4001', session_ticket: '', extended_master_secret: '', encrypt_then_mac: '', post_handshake_auth: '', signed_certificate_timestamp: '' };

function extensionEntry(type: number, data: Buffer): string | { type: number; data: string } {
  const name = EXTENSION_NAMES[type];
  if (name && (REBUILT.has(name) || FIXED[name] === data.toString('hex'))) return name;
  return { type, data: data.toString('hex') };
}
const SIGNALLING: Record<number, string> = { 0x00ff: 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV', 0x5600: 'TLS_FALLBACK_SCSV' };

export function helloFields(h: ParsedClientHello, recordVersion: number, versions?: string[]): Record<string, unknown> {
  const suite = (code: number): string => SIGNALLING[code] ?? (describeSuite(code).openssl !== null ? describeSuite(code).iana : hex(code));
  const sigalgsCert = h.signatureAlgorithmsCert;
  return {
    versions: versions ?? h.versions,
    recordVersion: protocolOfWire(recordVersion),
    suites: h.suites.map(suite),
    groups: h.groups.map((g) => GROUP_NAMES[g] ?? hex(g)),
    keyShares: h.keyShareGroups.map((g) => GROUP_NAMES[g] ?? hex(g)),
    signatureAlgorithms: h.signatureAlgorithms.map((s) => SIGNATURE_SCHEME_NAMES[s] ?? hex(s)),
    ...(sigalgsCert ? { signatureAlgorithmsCert: sigalgsCert.map((s) => SIGNATURE_SCHEME_NAMES[s] ?? hex(s)) } : {}),
    alpn: h.alpn,
    ...(h.pointFormats ? { pointFormats: h.pointFormats } : {}),
    sessionId: h.sessionIdLength > 0,
    extensions: h.extensions.map((e) => extensionEntry(e.type, e.data)),
  };
}
