import type { Alternative, Diagnosis } from '../rules/index.js';
import { probeOffer } from './probe/offer.js';
import type { ProbePolicyConfig } from './probe/policy.js';

// No reply may tell someone to run a command the bot itself would refuse. A next step or an
// alternative's check that says `tls-triage probe H:P` for a target the probe policy refuses
// (loopback, link-local, a listen address, a denied name) becomes the openssl command that shows
// the same, to run from a host that reaches H:P: on the server itself for a listen address.

// The target, then the options a step may give the probe (--ca FILE, --servername N...).
const PROBE_COMMAND = /tls-triage probe (\S+?)((?: --(?:ca|servername|timeout|allow) [^\s,;)]+| --ciphers| --json)*)(?=[\s,;)]|[:.](?:\s|$)|$)/g;
const UNSPECIFIED = /^(?:0\.0\.0\.0|::)$/;

export function runnableSteps<T extends Diagnosis>(diagnosis: T, policy: ProbePolicyConfig): T {
  const nextSteps = diagnosis.nextSteps.map((step) => rewrite(step, policy));
  const alternatives = diagnosis.alternatives?.map((a): Alternative => ({ ...a, check: rewrite(a.check, policy) }));
  const changed = nextSteps.some((s, i) => s !== diagnosis.nextSteps[i]) || alternatives?.some((a, i) => a.check !== diagnosis.alternatives?.[i]?.check);
  if (!changed) return diagnosis;
  return { ...diagnosis, nextSteps, ...(alternatives ? { alternatives } : {}) };
}

/** One step with each refused probe command replaced by its openssl equivalent. */
export function rewrite(step: string, policy: ProbePolicyConfig): string {
  let note: string | undefined;
  const replaced = step.replace(PROBE_COMMAND, (whole, raw: string, options: string) => {
    // A placeholder (<host>:<port>) names nothing the policy could refuse.
    if (raw.includes('<')) return whole;
    // A STARTTLS target (postgres://H:P): the policy judges H:P, s_client speaks the protocol first.
    const scheme = /^(smtp|imap|pop3|ftp|ldap|postgres|mysql):\/\/(.+)$/i.exec(raw);
    const starttls = scheme ? ` -starttls ${(scheme[1] as string).toLowerCase()}` : '';
    const offer = probeOffer(policy, scheme ? (scheme[2] as string).replace(/\/$/, '') : raw);
    if (offer.allowed || offer.invalid) return whole;
    const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(offer.target);
    const host = bracketed ? (bracketed[1] as string) : offer.target.slice(0, offer.target.lastIndexOf(':'));
    const port = bracketed ? (bracketed[2] as string) : offer.target.slice(offer.target.lastIndexOf(':') + 1);
    if (UNSPECIFIED.test(host)) {
      // A listen address: the server itself reaches its own port on loopback.
      note ??= ` (run it on the server itself: ${offer.target} is the address it listens on, which the bot does not probe)`;
      return `openssl s_client -connect 127.0.0.1:${port}${starttls}${opensslOptions(options)} -showcerts </dev/null`;
    }
    note ??= ` (run it from a host that reaches ${offer.target}: the bot's probe policy refuses it)`;
    const servername = /^[\d.:]+$/.test(host) || options.includes('--servername') ? '' : ` -servername ${host}`;
    return `openssl s_client -connect ${offer.target}${starttls}${servername}${opensslOptions(options)} -showcerts </dev/null`;
  });
  return note ? `${replaced}${note}` : replaced;
}

/** The probe's options that s_client has too: --ca FILE is -CAfile FILE, --servername N is -servername N. */
function opensslOptions(options: string): string {
  const out: string[] = [];
  for (const m of options.matchAll(/--(ca|servername) (\S+)/g)) out.push(m[1] === 'ca' ? `-CAfile ${m[2]}` : `-servername ${m[2]}`);
  return out.length > 0 ? ` ${out.join(' ')}` : '';
}
