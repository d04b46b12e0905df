// Literal IP address normalisation and CIDR matching for the probe SSRF policy.
//
// Why this exists: an attacker does not need to type "127.0.0.1" to reach loopback.
// getaddrinfo (which Node's net.connect uses) accepts every inet_aton spelling —
// "2130706433", "0177.0.0.1", "0x7f.1", "127.1" — and IPv6 has IPv4-mapped and
// zero-padded spellings. Every literal is therefore reduced to ONE canonical text
// form before any policy rule sees it, and CIDR matching is done on integers, never
// on strings.
import { isIP } from 'node:net';

export type IpFamily = 4 | 6;

export interface NormalisedAddress {
  /** Canonical text: dotted-quad for IPv4, RFC 5952 for IPv6. */
  address: string;
  family: IpFamily;
  /** The IPv6 spelling this address was unwrapped from (IPv4-mapped ::ffff:a.b.c.d). */
  mappedFrom?: string;
}

export type NormaliseResult = ({ ok: true } & NormalisedAddress) | { ok: false; error: string };

export interface Cidr {
  family: IpFamily;
  /** Network address as an integer (host bits zero). */
  network: bigint;
  prefix: number;
  /** Canonical text form, e.g. "10.0.0.0/8", "fe80::/10". */
  text: string;
}

export type CidrResult = { ok: true; cidr: Cidr } | { ok: false; error: string };

const V4_BITS = 32;
const V6_BITS = 128;
const MAPPED_PREFIX = 0xffffn << 32n; // ::ffff:0:0/96

/**
 * Parse one inet_aton number component: decimal, octal (leading 0) or hex (0x).
 * "0x" alone is 0, as both glibc and the WHATWG URL parser treat it.
 */
function parseAtonPart(part: string): number | undefined {
  if (part === '') return undefined;
  let digits = part;
  let radix = 10;
  if (/^0x/i.test(part)) {
    digits = part.slice(2);
    radix = 16;
    if (digits === '') return 0;
    if (!/^[0-9a-f]+$/i.test(digits)) return undefined;
  } else if (part.length > 1 && part.startsWith('0')) {
    digits = part.slice(1);
    radix = 8;
    if (!/^[0-7]+$/.test(digits)) return undefined;
  } else if (!/^[0-9]+$/.test(digits)) {
    return undefined;
  }
  // Strip leading zeros so absurdly long zero-padded parts don't lose precision.
  const trimmed = digits.replace(/^0+(?=.)/, '');
  if (trimmed.length > 12) return undefined; // certainly > 2^32 in any radix we accept
  const value = Number.parseInt(trimmed, radix);
  return Number.isSafeInteger(value) ? value : undefined;
}

/**
 * Parse an IPv4 address the way inet_aton does: 1-4 dot-separated parts, each
 * decimal/octal/hex; the last part fills all remaining bytes ("127.1" = 127.0.0.1,
 * "2130706433" = 127.0.0.1). Returns the 32-bit value or undefined.
 */
export function parseIPv4Loose(input: string): number | undefined {
  const parts = input.split('.');
  if (parts.length > 4) return undefined;
  const values: number[] = [];
  for (const part of parts) {
    const v = parseAtonPart(part);
    if (v === undefined) return undefined;
    values.push(v);
  }
  const last = values.pop();
  if (last === undefined) return undefined;
  let result = 0;
  for (const [i, v] of values.entries()) {
    if (v > 255) return undefined;
    result += v * 2 ** (8 * (3 - i));
  }
  // The final part spans the bytes the leading parts did not use.
  const remainingBits = 8 * (4 - values.length);
  if (last >= 2 ** remainingBits) return undefined;
  return result + last;
}

/** Strict dotted-quad only (no octal/hex/short forms) — used inside IPv6 literals, as inet_pton does. */
function parseIPv4Strict(input: string): number | undefined {
  const parts = input.split('.');
  if (parts.length !== 4) return undefined;
  let result = 0;
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const v = Number(part);
    if (v > 255) return undefined;
    result = result * 256 + v;
  }
  return result;
}

/** Parse an IPv6 literal (no brackets, no zone id) to a 128-bit integer. */
export function parseIPv6(input: string): bigint | undefined {
  if (input.includes('%')) return undefined;
  const halves = input.split('::');
  if (halves.length > 2) return undefined;
  const toGroups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    const pieces = s.split(':');
    for (const [i, piece] of pieces.entries()) {
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIPv4Strict(piece);
        if (v4 === undefined) return undefined;
        out.push(Math.floor(v4 / 65536), v4 % 65536);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(piece)) return undefined;
        out.push(Number.parseInt(piece, 16));
      }
    }
    return out;
  };
  const head = toGroups(halves[0] ?? '');
  const tail = halves.length === 2 ? toGroups(halves[1] ?? '') : [];
  if (!head || !tail) return undefined;
  // An embedded IPv4 is only legal in the final position.
  if (halves.length === 2 && (halves[0] ?? '').includes('.')) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return undefined;
    groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    if (head.length !== 8) return undefined;
    groups = head;
  }
  let value = 0n;
  for (const g of groups) value = (value << 16n) | BigInt(g);
  return value;
}

export function formatIPv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** RFC 5952 text form: lowercase, no leading zeros, first longest run (>=2) of zero groups as "::". */
export function formatIPv6(value: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(':');
  const left = hex.slice(0, bestStart).join(':');
  const right = hex.slice(bestStart + bestLen).join(':');
  return `${left}::${right}`;
}

/**
 * Normalise a literal IP address (no brackets, no port). IPv4 accepts every
 * inet_aton spelling; IPv4-mapped IPv6 (::ffff:0:0/96) is unwrapped to its IPv4
 * address, because that is what the kernel will actually connect to.
 */
export function normaliseAddress(input: string): NormaliseResult {
  const raw = input.trim();
  if (raw === '') return { ok: false, error: 'empty address' };
  if (raw.includes(':')) {
    if (raw.includes('%')) {
      return { ok: false, error: `IPv6 zone ids are not supported ("${raw}")` };
    }
    const value = parseIPv6(raw);
    if (value === undefined) return { ok: false, error: `"${raw}" is not a valid IPv6 address` };
    if (value >> 32n === MAPPED_PREFIX >> 32n) {
      const v4 = formatIPv4(Number(value & 0xffffffffn));
      return { ok: true, address: v4, family: 4, mappedFrom: formatIPv6(value) };
    }
    const address = formatIPv6(value);
    // Belt and braces: our canonical output must be something Node itself calls IPv6.
    if (isIP(address) !== 6) return { ok: false, error: `"${raw}" is not a valid IPv6 address` };
    return { ok: true, address, family: 6 };
  }
  const v4 = parseIPv4Loose(raw);
  if (v4 === undefined) return { ok: false, error: `"${raw}" is not a valid IPv4 address` };
  return { ok: true, address: formatIPv4(v4), family: 4 };
}

/** Integer form of an already-normalised address (or any literal normaliseAddress accepts). */
export function addressToBigInt(address: string): { family: IpFamily; value: bigint } | undefined {
  const n = normaliseAddress(address);
  if (!n.ok) return undefined;
  if (n.family === 4) {
    const v = parseIPv4Loose(n.address);
    return v === undefined ? undefined : { family: 4, value: BigInt(v) };
  }
  const v = parseIPv6(n.address);
  return v === undefined ? undefined : { family: 6, value: v };
}

function prefixMask(bits: number, prefix: number): bigint {
  const all = (1n << BigInt(bits)) - 1n;
  return all ^ ((1n << BigInt(bits - prefix)) - 1n);
}

/**
 * Parse "a.b.c.d/n", "x::/n" or a bare address (= /32 or /128). Host bits must be
 * zero: "10.0.0.1/8" is almost always a typo, and silently widening it would turn a
 * narrow allow entry into a broad one.
 * An IPv4-mapped IPv6 CIDR (::ffff:127.0.0.0/104) becomes the IPv4 CIDR it denotes.
 */
export function parseCidr(input: string): CidrResult {
  const raw = input.trim();
  const slash = raw.indexOf('/');
  const addrText = slash === -1 ? raw : raw.slice(0, slash);
  const prefixText = slash === -1 ? undefined : raw.slice(slash + 1);
  if (addrText.includes(':') && addrText.includes('%')) {
    return { ok: false, error: `IPv6 zone ids are not supported ("${raw}")` };
  }
  // Parse v6 without unwrapping so a mapped CIDR keeps its 128-bit prefix length.
  let family: IpFamily;
  let value: bigint;
  if (addrText.includes(':')) {
    const v = parseIPv6(addrText);
    if (v === undefined) return { ok: false, error: `"${addrText}" is not a valid IPv6 address` };
    family = 6;
    value = v;
  } else {
    const v = parseIPv4Loose(addrText);
    if (v === undefined) return { ok: false, error: `"${addrText}" is not a valid IPv4 address` };
    family = 4;
    value = BigInt(v);
  }
  const bits = family === 4 ? V4_BITS : V6_BITS;
  let prefix = bits;
  if (prefixText !== undefined) {
    if (!/^[0-9]{1,3}$/.test(prefixText) || Number(prefixText) > bits) {
      return { ok: false, error: `prefix length "/${prefixText}" is invalid for IPv${family} (0-${bits})` };
    }
    prefix = Number(prefixText);
  }
  const network = value & prefixMask(bits, prefix);
  if (network !== value) {
    const suggestion = family === 4 ? formatIPv4(Number(network)) : formatIPv6(network);
    return {
      ok: false,
      error: `"${raw}" has host bits set; did you mean ${suggestion}/${prefix}?`,
    };
  }
  if (family === 6 && prefix >= 96 && value >> 32n === MAPPED_PREFIX >> 32n) {
    const v4 = value & 0xffffffffn;
    const p4 = prefix - 96;
    return {
      ok: true,
      cidr: { family: 4, network: v4, prefix: p4, text: `${formatIPv4(Number(v4))}/${p4}` },
    };
  }
  const text = `${family === 4 ? formatIPv4(Number(network)) : formatIPv6(network)}/${prefix}`;
  return { ok: true, cidr: { family, network, prefix, text } };
}

/** True when the (normalised-on-the-fly) address lies inside the CIDR. Invalid addresses never match. */
export function cidrContains(cidr: Cidr, address: string): boolean {
  const a = addressToBigInt(address);
  return a !== undefined && cidrContainsValue(cidr, a.family, a.value);
}

/** cidrContains for an address already in integer form. */
export function cidrContainsValue(cidr: Cidr, family: IpFamily, value: bigint): boolean {
  if (family !== cidr.family) return false;
  return (value & prefixMask(family === 4 ? V4_BITS : V6_BITS, cidr.prefix)) === cidr.network;
}

/**
 * contains("10.0.0.0/8", "10.1.2.3"). Throws on an invalid CIDR string: that is a
 * programming error in a literal, not user input (user entries go through parseCidr).
 */
export function contains(cidr: string | Cidr, address: string): boolean {
  if (typeof cidr !== 'string') return cidrContains(cidr, address);
  const parsed = parseCidr(cidr);
  if (!parsed.ok) throw new TypeError(`invalid CIDR: ${parsed.error}`);
  return cidrContains(parsed.cidr, address);
}
