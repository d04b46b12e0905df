// Parse what a chat user typed after "/tls probe" into host + port.
//
// Why so forgiving on input and so strict on output: chat clients wrap what users
// paste (Slack turns "https://x:1" into "<https://x:1|x:1>", people paste inside
// backticks), but the result feeds an SSRF policy, so every host is either a
// canonical IP literal or a validated LDH host name — nothing in between.
import { domainToASCII } from 'node:url';
import { normaliseAddress, type IpFamily } from './address.js';
import { SCHEMES, type StartTlsProtocol } from './starttls/schemes.js';

export interface ProbeTarget {
  /** Canonical IP literal (no brackets) or lower-case ASCII host name without trailing dot. */
  host: string;
  port: number;
  isIp: boolean;
  family?: IpFamily;
  /** The IPv6 zone id typed after "%" (fe80::1%eth0): parsed so that the policy refuses it by name. */
  zone?: string;
  /** The target speaks this protocol first and upgrades to TLS (smtp://, ldap://, postgres://...). */
  starttls?: StartTlsProtocol;
}

export type ParseTargetResult = { ok: true; target: ProbeTarget } | { ok: false; error: string };

export type HostResult =
  | { ok: true; host: string; isIp: boolean; family?: IpFamily; zone?: string }
  | { ok: false; error: string };

export const DEFAULT_PROBE_PORT = 443;
const MAX_INPUT = 2048;

/** Remove chat markup around a pasted target: backticks, <...>, Slack <url|label>. */
export function stripChatMarkup(input: string): string {
  let s = input.trim();
  // Repeat: markup nests (`<https://x|x>` inside backticks).
  for (let i = 0; i < 4; i++) {
    const before = s;
    s = s.replace(/^`+|`+$/g, '').trim();
    if (s.startsWith('<') && s.endsWith('>')) {
      s = s.slice(1, -1);
      // Slack link syntax: <target|label> — the target half is authoritative.
      const bar = s.indexOf('|');
      if (bar !== -1) s = s.slice(0, bar);
      s = s.trim();
    }
    if (s === before) break;
  }
  return s;
}

export function parsePort(text: string): { ok: true; port: number } | { ok: false; error: string } {
  if (text === '') return { ok: false, error: 'port is empty' };
  if (!/^[0-9]+$/.test(text)) return { ok: false, error: `port "${text}" is not a number` };
  const port = text.length > 6 ? Number.POSITIVE_INFINITY : Number(text);
  if (port < 1 || port > 65535) {
    return { ok: false, error: `port ${text.replace(/^0+(?=.)/, '')} is out of range (1-65535)` };
  }
  return { ok: true, port };
}

/**
 * Validate and canonicalise a host: IP literals (any inet_aton IPv4 spelling, IPv6
 * without brackets) become canonical addresses; names must be LDH labels
 * (<=63 chars each, <=253 total). Unicode names are converted with IDNA first —
 * and re-checked as IP literals, since IDNA maps full-width digits
 * ("１２７.０.０.１") to ASCII ones.
 */
export function parseHost(input: string): HostResult {
  let host = input.trim();
  if (host === '') return { ok: false, error: 'host is empty' };
  if (host.includes(':')) {
    // A zone id is kept apart, not refused here: the policy refuses it (exit 3, not a usage error).
    const percent = host.indexOf('%');
    const zone = percent === -1 ? undefined : host.slice(percent + 1);
    if (zone !== undefined && !/^[\w.%-]{1,64}$/.test(zone)) return { ok: false, error: `"${input}" has an invalid IPv6 zone id` };
    const ip = normaliseAddress(percent === -1 ? host : host.slice(0, percent));
    if (!ip.ok) return { ok: false, error: ip.error };
    return { ok: true, host: ip.address, isIp: true, family: ip.family, ...(zone !== undefined ? { zone } : {}) };
  }
  // A single trailing dot means "fully qualified"; it does not change the target.
  if (host.endsWith('.') && !host.endsWith('..')) host = host.slice(0, -1);
  if (/[^\x20-\x7e]/.test(host)) {
    const ascii = domainToASCII(host);
    if (ascii === '') return { ok: false, error: `"${input}" is not a valid host name` };
    host = ascii.endsWith('.') ? ascii.slice(0, -1) : ascii;
  }
  host = host.toLowerCase();
  const ip = normaliseAddress(host);
  if (ip.ok) return { ok: true, host: ip.address, isIp: true, family: ip.family };
  const labels = host.split('.');
  // Like the WHATWG URL parser: a name whose last label is numeric is an attempted
  // IP address; refusing it avoids resolvers that would read it as one anyway.
  const last = labels[labels.length - 1] ?? '';
  if (/^(0x[0-9a-f]*|[0-9]+)$/i.test(last)) {
    return { ok: false, error: `"${input}" looks like an IPv4 address but is not a valid one` };
  }
  if (host.length > 253) return { ok: false, error: `host name is longer than 253 characters` };
  for (const label of labels) {
    if (label === '') return { ok: false, error: `"${input}" has an empty label` };
    if (label.length > 63) {
      return { ok: false, error: `label "${label.slice(0, 20)}…" is longer than 63 characters` };
    }
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(label)) {
      return {
        ok: false,
        error: `"${input}" is not a valid host name (labels use letters, digits and inner hyphens)`,
      };
    }
  }
  return { ok: true, host, isIp: false };
}

/** Split "host:port", "[v6]:port", "[v6]", bare "v6", "host" into host text and port text. */
function splitHostPort(
  authority: string,
  fromUrl: boolean,
): { ok: true; host: string; port?: string } | { ok: false; error: string } {
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close === -1) return { ok: false, error: `missing "]" in "${authority}"` };
    const host = authority.slice(1, close);
    if (!host.includes(':')) return { ok: false, error: `"[${host}]" is not an IPv6 address` };
    const rest = authority.slice(close + 1);
    if (rest === '') return { ok: true, host };
    if (!rest.startsWith(':')) return { ok: false, error: `unexpected "${rest}" after "]"` };
    return { ok: true, host, port: rest.slice(1) };
  }
  const colons = authority.split(':').length - 1;
  if (colons === 0) return { ok: true, host: authority };
  if (colons === 1) {
    const i = authority.indexOf(':');
    return { ok: true, host: authority.slice(0, i), port: authority.slice(i + 1) };
  }
  if (fromUrl) return { ok: false, error: 'IPv6 addresses in URLs must be in brackets: https://[::1]:443/' };
  // Bare IPv6 cannot carry a port ("::1:8443" is itself an address).
  return { ok: true, host: authority };
}

export function parseTarget(input: string): ParseTargetResult {
  if (input.length > MAX_INPUT) return { ok: false, error: `target is longer than ${MAX_INPUT} characters` };
  let s = stripChatMarkup(input);
  if (s === '') return { ok: false, error: 'no target given; expected host:port' };
  if (/\s/.test(s)) return { ok: false, error: `"${s}" contains whitespace; expected one host:port` };

  let fromUrl = false;
  let defaultPort = DEFAULT_PROBE_PORT;
  let starttls: StartTlsProtocol | undefined;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(s);
  if (scheme) {
    const name = (scheme[1] ?? '').toLowerCase();
    const known = Object.hasOwn(SCHEMES, name) ? SCHEMES[name] : undefined;
    if (!known) {
      return { ok: false, error: `unsupported scheme "${name}://"; use host:port or one of ${Object.keys(SCHEMES).map((k) => `${k}://`).join(', ')}` };
    }
    defaultPort = known.port;
    starttls = known.starttls;
    fromUrl = true;
    s = s.slice(scheme[0].length);
    // Authority ends at the first path, query or fragment delimiter.
    const end = s.search(/[/?#]/);
    if (end !== -1) s = s.slice(0, end);
  } else if (/[/?#]/.test(s)) {
    return { ok: false, error: `"${s}" is not host:port (paths need an https:// prefix)` };
  }
  // "https://trusted@127.0.0.1" is a classic SSRF disguise; refuse credentials outright.
  if (s.includes('@')) return { ok: false, error: 'credentials ("user@") are not allowed in a probe target' };
  if (s === '') return { ok: false, error: 'no host given' };

  const split = splitHostPort(s, fromUrl);
  if (!split.ok) return split;
  const host = parseHost(split.host);
  if (!host.ok) return host;
  let port = defaultPort;
  if (split.port !== undefined) {
    const p = parsePort(split.port);
    if (!p.ok) return p;
    port = p.port;
  }
  const target: ProbeTarget = { host: host.host, port, isIp: host.isIp };
  if (host.family !== undefined) target.family = host.family;
  if (host.zone !== undefined) target.zone = host.zone;
  if (starttls) target.starttls = starttls;
  return { ok: true, target };
}

/** "host:port" with IPv6 bracketed (and its zone id, if any) — for messages and audit lines. */
export function formatTarget(target: { host: string; port: number; zone?: string }): string {
  const zone = target.zone !== undefined ? `%${target.zone}` : '';
  return target.host.includes(':') ? `[${target.host}${zone}]:${target.port}` : `${target.host}:${target.port}`;
}
