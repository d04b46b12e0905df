// SSRF policy for /tls probe: which resolved addresses the bot may connect to.
// Pure: no DNS, no clock, no I/O — the caller resolves once (resolve.ts) and passes
// every address here.
//
// Decisions (each one is tested in test/bot/probe/policy.test.ts):
// - Built-in denies follow the IANA IPv4 and IPv6 special-purpose address registries
//   (special-purpose.data.ts): every block that is not globally reachable is refused
//   (loopback, link-local, unspecified, documentation, benchmarking, IETF protocol
//   assignments, discard-only, Teredo, local-use NAT64, reserved ...), and so are
//   multicast, broadcast and cloud metadata endpoints. The most specific block decides.
//   They apply to every spelling (mapped IPv6 is unwrapped by address.ts) and to every
//   IPv4 address an IPv6 address embeds (embedded-ipv4.ts: NAT64, local-use NAT64,
//   IPv4-translated, IPv4-compatible, 6to4, Teredo server and client).
// - Private ranges (RFC 1918, 100.64.0.0/10 CGNAT, ULA fc00::/7) are ALLOWED by
//   default: internal gateways are exactly what on-call engineers probe. The cloud
//   metadata addresses that live inside those ranges (100.100.100.200 Alibaba,
//   fd00:ec2::254 AWS) are still denied as "metadata".
// - An IPv6 zone id ("fe80::1%eth0") is refused whatever the entries: a scoped address
//   names a link of the bot's own host, never a remote endpoint.
// - An explicit deny entry wins over everything, including allow entries.
// - An address allow entry (IP/CIDR, optionally port-scoped) lifts a built-in deny
//   for the addresses it covers; an embedded IPv4 address needs its own (allowing a
//   NAT64 prefix does not allow the loopback address it may carry).
// - A host-name allow entry never lifts anything about addresses: DNS answers are
//   not under the operator's control, so "allow payments-gw.internal" must not turn
//   into "allow whatever that name resolves to today, including 169.254.169.254".
//   Its only effect is in allowlist mode, where it admits that name (its addresses
//   are still subject to built-in and explicit denies).
// - In allowlist mode a target is refused unless its name matches a host-name allow
//   entry or every one of its addresses matches an address allow entry.
// - Every address is checked; the first refused one refuses the whole target.
// - Fail closed: an invalid entry or address refuses rather than being skipped.
import { z } from 'zod';
import { normaliseAddress, parseCidr, cidrContains, type Cidr } from './address.js';
import { embeddedIPv4, type EmbeddedIPv4 } from './embedded-ipv4.js';
import { specialBlockOf } from './special-purpose.js';
import { formatTarget, parseHost, parsePort } from './target.js';

export type ProbePolicyMode = 'default' | 'allowlist';

export interface ProbePolicyConfig {
  mode: ProbePolicyMode;
  allow: string[];
  deny: string[];
}

export type PolicyEntry =
  | { kind: 'cidr'; source: string; cidr: Cidr; ports?: number[] }
  | { kind: 'host'; source: string; host: string; ports?: number[] };

export type ParsePolicyEntryResult = { ok: true; entry: PolicyEntry } | { ok: false; error: string };

export type ProbeVerdict =
  | { allowed: true }
  | { allowed: false; rule: string; message: string; address?: string };

export interface PolicyTarget {
  host: string;
  port: number;
  /** An IPv6 zone id the target was given with ("eth0" of fe80::1%eth0): always refused. */
  zone?: string;
}

function parsePortList(text: string): { ok: true; ports: number[] } | { ok: false; error: string } {
  const ports: number[] = [];
  for (const piece of text.split(',')) {
    const p = parsePort(piece.trim());
    if (!p.ok) return p;
    if (!ports.includes(p.port)) ports.push(p.port);
  }
  return { ok: true, ports };
}

/**
 * Parse one allow/deny entry: CIDR, IP or host name, each optionally followed by
 * ":port" or ":port,port" (IPv6 needs brackets to carry ports: "[::1]:8443",
 * "[fd00::/8]:443"). Errors are phrased for the operator who wrote the config.
 */
export function parsePolicyEntry(input: string): ParsePolicyEntryResult {
  const source = input.trim();
  if (source === '') return { ok: false, error: 'entry is empty' };
  if (/\s/.test(source)) return { ok: false, error: `"${source}" contains whitespace` };
  let hostText = source;
  let portText: string | undefined;
  if (source.startsWith('[')) {
    const close = source.indexOf(']');
    if (close === -1) return { ok: false, error: `"${source}": missing "]"` };
    hostText = source.slice(1, close);
    const rest = source.slice(close + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) return { ok: false, error: `"${source}": unexpected "${rest}" after "]"` };
      portText = rest.slice(1);
    }
  } else {
    const colons = source.split(':').length - 1;
    if (colons === 1) {
      const i = source.indexOf(':');
      hostText = source.slice(0, i);
      portText = source.slice(i + 1);
    }
    // colons > 1: bare IPv6 address or CIDR, no ports.
  }
  let ports: number[] | undefined;
  if (portText !== undefined) {
    const p = parsePortList(portText);
    if (!p.ok) return { ok: false, error: `"${source}": ${p.error}` };
    ports = p.ports;
  }
  const withPorts = <T extends PolicyEntry>(e: T): T => (ports ? { ...e, ports } : e);

  if (hostText.includes('/')) {
    const c = parseCidr(hostText);
    if (!c.ok) return { ok: false, error: `"${source}": ${c.error}` };
    return { ok: true, entry: withPorts({ kind: 'cidr', source, cidr: c.cidr }) };
  }
  if (hostText.includes(':')) {
    const c = parseCidr(hostText);
    if (!c.ok) return { ok: false, error: `"${source}": ${c.error}` };
    return { ok: true, entry: withPorts({ kind: 'cidr', source, cidr: c.cidr }) };
  }
  const h = parseHost(hostText);
  if (!h.ok) return { ok: false, error: `"${source}": ${h.error}` };
  if (h.isIp) {
    const c = parseCidr(h.host);
    if (!c.ok) return { ok: false, error: `"${source}": ${c.error}` };
    return { ok: true, entry: withPorts({ kind: 'cidr', source, cidr: c.cidr }) };
  }
  return { ok: true, entry: withPorts({ kind: 'host', source, host: h.host }) };
}

export type CompilePolicyResult =
  | { ok: true; allow: PolicyEntry[]; deny: PolicyEntry[] }
  | { ok: false; errors: string[] };

export function compilePolicyEntries(policy: ProbePolicyConfig): CompilePolicyResult {
  const errors: string[] = [];
  const compile = (list: string[], which: 'allow' | 'deny'): PolicyEntry[] =>
    list.flatMap((text) => {
      const r = parsePolicyEntry(text);
      if (r.ok) return [r.entry];
      errors.push(`${which} entry ${r.error}`);
      return [];
    });
  const allow = compile(policy.allow, 'allow');
  const deny = compile(policy.deny, 'deny');
  return errors.length > 0 ? { ok: false, errors } : { ok: true, allow, deny };
}

function portMatches(entry: PolicyEntry, port: number): boolean {
  return entry.ports === undefined || entry.ports.includes(port);
}

/** An address entry covers the address itself or an IPv4 address it embeds (NAT64 etc.). */
function addressEntryMatches(entry: PolicyEntry, forms: readonly string[], port: number): boolean {
  return entry.kind === 'cidr' && portMatches(entry, port) && forms.some((a) => cidrContains(entry.cidr, a));
}

/** The built-in refusal of `form` (the address, or an IPv4 address it embeds), unless an allow entry covers that form. */
function builtinRefusal(form: string, address: string, embedded: EmbeddedIPv4 | undefined, allow: readonly PolicyEntry[], port: number): ProbeVerdict | undefined {
  const block = specialBlockOf(form);
  if (!block || block.reach !== 'denied') return undefined;
  if (allow.some((e) => addressEntryMatches(e, [form], port))) return undefined;
  const what = block.rule === 'metadata' ? `${form} is a ${block.name}` : `${form}: ${block.name}, ${block.cidrText}, ${block.source}, not globally reachable`;
  const via = embedded ? `, embedded in ${address} via ${embedded.via}` : '';
  return {
    allowed: false,
    rule: `builtin:${block.rule}`,
    message: `refused by built-in deny "${block.rule}" (${what}${via}); add an allow entry (--allow ${form} or PROBE_ALLOW) to probe it`,
    address,
  };
}

/** Rules of an embedded address that say more than the IPv6 address's own block ("127.0.0.1 embedded in ..."). */
const TELLING_RULES: ReadonlySet<string> = new Set(['builtin:metadata', 'builtin:loopback', 'builtin:link-local']);

/**
 * The refusal to report when the address or an IPv4 address it embeds is refused: a metadata,
 * loopback or link-local address carried inside first, then the address's own block, then any
 * other embedded refusal (a local-use NAT64 address has several candidate IPv4 readings).
 */
function firstRefusal(address: string, embedded: readonly EmbeddedIPv4[], allow: readonly PolicyEntry[], port: number): ProbeVerdict | undefined {
  const inside = embedded.flatMap((e) => builtinRefusal(e.ipv4, address, e, allow, port) ?? []);
  return inside.find((r) => !r.allowed && TELLING_RULES.has(r.rule)) ?? builtinRefusal(address, address, undefined, allow, port) ?? inside[0];
}

export function checkProbeTarget(
  policy: ProbePolicyConfig,
  target: PolicyTarget,
  addresses: string[],
): ProbeVerdict {
  const compiled = compilePolicyEntries(policy);
  if (!compiled.ok) {
    return {
      allowed: false,
      rule: 'invalid-policy',
      message: `refused: the probe policy is invalid (${compiled.errors.join('; ')})`,
    };
  }
  const { allow, deny } = compiled;
  const shown = formatTarget(target);
  if (target.zone !== undefined) {
    return {
      allowed: false,
      rule: 'zone-id',
      message: `refused: ${shown} carries the IPv6 zone id "%${target.zone}", which names a link of the bot's own host, not a remote endpoint; zone ids are never probed`,
      address: target.host,
    };
  }
  const nameHost = parseHost(target.host);
  const targetName = nameHost.ok && !nameHost.isIp ? nameHost.host : undefined;

  if (addresses.length === 0) {
    return { allowed: false, rule: 'no-addresses', message: `refused: ${shown} resolved to no addresses` };
  }

  if (targetName !== undefined) {
    const hit = deny.find((e) => e.kind === 'host' && e.host === targetName && portMatches(e, target.port));
    if (hit) {
      return {
        allowed: false,
        rule: `deny:${hit.source}`,
        message: `refused by deny entry "${hit.source}" (${shown}); explicit deny entries always win`,
      };
    }
  }
  const nameAllowed =
    targetName !== undefined &&
    allow.some((e) => e.kind === 'host' && e.host === targetName && portMatches(e, target.port));

  for (const raw of addresses) {
    const n = normaliseAddress(raw);
    if (!n.ok) {
      return { allowed: false, rule: 'invalid-address', message: `refused: ${n.error}`, address: raw };
    }
    const address = n.address;
    const embedded = embeddedIPv4(address);
    const forms = [address, ...embedded.map((e) => e.ipv4)];

    const denied = deny.find((e) => addressEntryMatches(e, forms, target.port));
    if (denied) {
      return {
        allowed: false,
        rule: `deny:${denied.source}`,
        message: `refused by deny entry "${denied.source}" (${address}); explicit deny entries always win`,
        address,
      };
    }

    const refused = firstRefusal(address, embedded, allow, target.port);
    if (refused) return refused;

    const lifted = allow.some((e) => addressEntryMatches(e, forms, target.port));
    if (policy.mode === 'allowlist' && !nameAllowed && !lifted) {
      return {
        allowed: false,
        rule: 'allowlist',
        message:
          `refused by allowlist mode: ${address}` +
          (targetName !== undefined ? ` (for ${shown})` : '') +
          ` matches no allow entry for port ${target.port}; add one (--allow or PROBE_ALLOW) to probe it`,
        address,
      };
    }
  }
  return { allowed: true };
}

const entryList = z.array(z.string()).default([]);

/** Config section for probes. Refinement errors name the offending entry and its index. */
export const probePolicySchema = z
  .object({
    mode: z.enum(['default', 'allowlist']).default('default'),
    allow: entryList,
    deny: entryList,
    maxConcurrent: z.number().int().min(1).max(64).default(4),
    perUserPerMinute: z.number().int().min(1).max(1000).default(10),
    timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
    // Absent = no restriction; an empty list = nobody (fail closed).
    channels: z.array(z.string().min(1)).optional(),
    users: z.array(z.string().min(1)).optional(),
    /** A file the probe's audit lines are appended to (JSON lines), besides the bot's log. */
    auditFile: z.string().min(1).optional(),
  })
  .superRefine((value, ctx) => {
    for (const which of ['allow', 'deny'] as const) {
      value[which].forEach((text, index) => {
        const r = parsePolicyEntry(text);
        if (!r.ok) {
          ctx.addIssue({ code: 'custom', path: [which, index], message: `${which} entry ${r.error}` });
        }
      });
    }
  });

export type ProbePolicySettings = z.output<typeof probePolicySchema>;
