// IPv6 addresses that carry an IPv4 address a translator or a tunnel may deliver to. The probe
// policy checks every IPv4 found here as if it had been typed, so "64:ff9b::a9fe:a9fe" cannot reach
// a metadata service through a NAT64 gateway, nor "2001:0:...:80ff:fffe" (Teredo, client
// 127.0.0.1) the bot's own loopback. IPv4-mapped addresses (::ffff:0:0/96) are not listed: the
// address normaliser unwraps them to plain IPv4 before anything else looks at them.
import { addressToBigInt, formatIPv4 } from './address.js';

export type EmbeddingForm =
  | 'NAT64 64:ff9b::/96'
  | 'local-use NAT64 64:ff9b:1::/48'
  | 'IPv4-translated ::ffff:0:0:0/96'
  | 'IPv4-compatible ::/96'
  | '6to4 2002::/16'
  | 'Teredo server 2001::/32'
  | 'Teredo client 2001::/32';

export interface EmbeddedIPv4 {
  readonly ipv4: string;
  readonly via: EmbeddingForm;
}

const LOW_32 = 0xffffffffn;

/** The 32 bits after a prefix of `prefixLength` bits, skipping bits 64-71 (RFC 6052's "u" octet). */
function rfc6052(value: bigint, prefixLength: number): number {
  let out = 0n;
  let taken = 0;
  for (let bit = prefixLength; taken < 32; bit++) {
    if (bit >= 64 && bit < 72) continue;
    out = (out << 1n) | ((value >> BigInt(127 - bit)) & 1n);
    taken++;
  }
  return Number(out);
}

/**
 * Every IPv4 address the IPv6 `address` embeds, by form. Local-use NAT64 (RFC 8215) leaves the
 * prefix length to the operator, so each RFC 6052 position inside 64:ff9b:1::/48 is a candidate
 * (/48, /56, /64, /96): all of them are checked, and any one refused refuses the address.
 */
export function embeddedIPv4(address: string): EmbeddedIPv4[] {
  const a = addressToBigInt(address);
  if (!a || a.family !== 6) return [];
  const v = a.value;
  const found: EmbeddedIPv4[] = [];
  const add = (ipv4: number, via: EmbeddingForm): void => {
    const text = formatIPv4(ipv4);
    if (!found.some((f) => f.ipv4 === text && f.via === via)) found.push({ ipv4: text, via });
  };
  if (v >> 32n === 0x64ff9bn << 64n) add(Number(v & LOW_32), 'NAT64 64:ff9b::/96');
  if (v >> 80n === 0x64ff9b0001n) for (const length of [48, 56, 64, 96]) add(rfc6052(v, length), 'local-use NAT64 64:ff9b:1::/48');
  if (v >> 32n === 0xffff0000n) add(Number(v & LOW_32), 'IPv4-translated ::ffff:0:0:0/96');
  // ::/96 minus :: and ::1, which have their own meaning (unspecified / loopback).
  if (v >> 32n === 0n && v > 1n) add(Number(v), 'IPv4-compatible ::/96');
  if (v >> 112n === 0x2002n) add(Number((v >> 80n) & LOW_32), '6to4 2002::/16');
  if (v >> 96n === 0x20010000n) {
    // RFC 4380: server address in bits 32-63; the client's, inverted, in the last 32 bits.
    add(Number((v >> 64n) & LOW_32), 'Teredo server 2001::/32');
    add(Number(~v & LOW_32), 'Teredo client 2001::/32');
  }
  return found;
}
