import { checkProbeTarget, compilePolicyEntries, type ProbePolicyConfig } from './policy.js';
import { formatTarget, parseTarget } from './target.js';

// Whether the bot would probe a target, decided before anyone asks: for the "Probe host:port"
// button and for next steps that say `tls-triage probe host:port`. No DNS here: an IP literal is
// checked as the probe would check it, `localhost` as the loopback it is, and a name by the entries
// that name it (its addresses are checked again when a probe really resolves it).

export type ProbeOffer =
  | { readonly allowed: true; readonly target: string }
  | { readonly allowed: false; readonly target: string; readonly why: string; readonly invalid?: true };

const LOCALHOST = /^(?:localhost|[a-z0-9-]+\.localhost)$/;

export function probeOffer(policy: ProbePolicyConfig, input: string): ProbeOffer {
  const parsed = parseTarget(input);
  if (!parsed.ok) return { allowed: false, target: input, why: parsed.error, invalid: true };
  const target = parsed.target;
  const shown = formatTarget(target);
  const addresses = target.isIp ? [target.host] : LOCALHOST.test(target.host) ? ['127.0.0.1'] : undefined;
  if (addresses) {
    const verdict = checkProbeTarget(policy, target, addresses);
    return verdict.allowed ? { allowed: true, target: shown } : { allowed: false, target: shown, why: verdict.message };
  }
  const compiled = compilePolicyEntries(policy);
  if (!compiled.ok) return { allowed: false, target: shown, why: `the probe policy is invalid (${compiled.errors.join('; ')})` };
  const names = (list: typeof compiled.allow) => list.find((e) => e.kind === 'host' && e.host === target.host && (e.ports === undefined || e.ports.includes(target.port)));
  const denied = names(compiled.deny);
  if (denied) return { allowed: false, target: shown, why: `refused by deny entry "${denied.source}"` };
  if (policy.mode === 'allowlist' && !names(compiled.allow)) return { allowed: false, target: shown, why: `refused by allowlist mode: no allow entry names ${target.host}` };
  return { allowed: true, target: shown };
}
