// DNS step of a probe: turn a parsed target into the exact addresses that will be
// checked by the policy AND connected to.
//
// CONTRACT (DNS rebinding): resolve exactly once. The engine must connect to one of
// the addresses returned here after checkProbeTarget allowed ALL of them — by
// address (net.connect({ host: address, servername: target.host })), never by name.
// A second lookup could return a different answer (TTL 0 rebinding) that the policy
// never saw. resolveAndCheck() packages resolve + check so callers cannot skip a step.
import { promises as dnsPromises } from 'node:dns';
import { normaliseAddress } from './address.js';
import { checkProbeTarget, type ProbePolicyConfig } from './policy.js';

export interface LookupAddress {
  address: string;
  family: number;
}

/** Same shape as dns.promises.lookup(host, { all: true, verbatim: true }); injectable for tests. */
export type LookupFn = (hostname: string, options: { all: true; verbatim: true }) => Promise<LookupAddress[]>;

export interface ResolvableTarget {
  host: string;
  port: number;
  isIp?: boolean;
}

export type ResolveResult =
  | { ok: true; addresses: string[]; ms: number }
  | { ok: false; code: 'dns-failure'; message: string; ms: number };

export interface ResolveOptions {
  /** getaddrinfo can hang on a broken resolver; give up after this long (default 5000). */
  timeoutMs?: number;
  /** Monotonic clock in ms, injectable for tests. */
  now?: () => number;
}

const defaultLookup: LookupFn = (hostname, options) => dnsPromises.lookup(hostname, options);
const defaultNow = (): number => performance.now();

function describeDnsError(host: string, err: unknown): string {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
  switch (code) {
    case 'ENOTFOUND':
      return `could not resolve "${host}": no such host (ENOTFOUND)`;
    case 'EAI_AGAIN':
      return `could not resolve "${host}": temporary DNS failure, try again (EAI_AGAIN)`;
    case 'ENODATA':
      return `could not resolve "${host}": the name has no A/AAAA records (ENODATA)`;
    default: {
      const detail = err instanceof Error ? err.message : String(err);
      return `could not resolve "${host}": ${detail}${code ? ` (${code})` : ''}`;
    }
  }
}

export async function resolveTarget(
  target: ResolvableTarget,
  lookup: LookupFn = defaultLookup,
  options: ResolveOptions = {},
): Promise<ResolveResult> {
  const now = options.now ?? defaultNow;
  const start = now();
  const elapsed = (): number => Math.round(now() - start);

  // IP literals never touch DNS (checked even if the caller forgot isIp).
  const literal = normaliseAddress(target.host);
  if (literal.ok) return { ok: true, addresses: [literal.address], ms: elapsed() };
  if (target.isIp === true) {
    return { ok: false, code: 'dns-failure', message: literal.error, ms: elapsed() };
  }

  const timeoutMs = options.timeoutMs ?? 5000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
    timer.unref();
  });
  let answers: LookupAddress[];
  try {
    const raced = await Promise.race([lookup(target.host, { all: true, verbatim: true }), timeout]);
    if (raced === 'timeout') {
      return {
        ok: false,
        code: 'dns-failure',
        message: `could not resolve "${target.host}": lookup timed out after ${timeoutMs} ms`,
        ms: elapsed(),
      };
    }
    answers = raced;
  } catch (err) {
    return { ok: false, code: 'dns-failure', message: describeDnsError(target.host, err), ms: elapsed() };
  } finally {
    clearTimeout(timer);
  }

  const addresses: string[] = [];
  for (const answer of answers) {
    const n = normaliseAddress(answer.address);
    // A resolver returning garbage is not trustworthy for the rest of its answer either.
    if (!n.ok) {
      return {
        ok: false,
        code: 'dns-failure',
        message: `resolver returned an invalid address for "${target.host}": ${n.error}`,
        ms: elapsed(),
      };
    }
    if (!addresses.includes(n.address)) addresses.push(n.address);
  }
  if (addresses.length === 0) {
    return { ok: false, code: 'dns-failure', message: `"${target.host}" resolved to no addresses`, ms: elapsed() };
  }
  return { ok: true, addresses, ms: elapsed() };
}

export type ResolveAndCheckResult =
  | { ok: true; addresses: string[]; ms: number }
  | { ok: false; code: 'dns-failure'; message: string; ms: number }
  | { ok: false; code: 'refused'; rule: string; message: string; address?: string; ms: number };

/** Resolve once, then check every address; on ok, connect only to `addresses`. */
export async function resolveAndCheck(
  policy: ProbePolicyConfig,
  target: ResolvableTarget,
  lookup: LookupFn = defaultLookup,
  options: ResolveOptions = {},
): Promise<ResolveAndCheckResult> {
  const resolved = await resolveTarget(target, lookup, options);
  if (!resolved.ok) return resolved;
  const verdict = checkProbeTarget(policy, target, resolved.addresses);
  if (verdict.allowed) return resolved;
  const refused: ResolveAndCheckResult = {
    ok: false,
    code: 'refused',
    rule: verdict.rule,
    message: verdict.message,
    ms: resolved.ms,
  };
  if (verdict.address !== undefined) refused.address = verdict.address;
  return refused;
}
