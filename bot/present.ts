import type { Diagnosis } from '../rules/index.js';
import type { Config } from './config.js';
import { probeOffer } from './probe/offer.js';
import { resolveRoute } from './routing.js';
import { runnableSteps } from './runnable-steps.js';
import type { ReplyOffers, Route } from './types.js';

/**
 * Adds what the configuration knows about a diagnosis: its runbook link, whom to mention, next
 * steps the probe policy allows as they are (a refused probe becomes the openssl command), and a
 * probe of the endpoint the evidence names when the policy would allow it.
 */
export function presentDiagnosis(diagnosis: Diagnosis, config: Config): { diagnosis: Diagnosis; route?: Route } & ReplyOffers {
  const runbook = config.runbooks[diagnosis.cause];
  const shown = runnableSteps(runbook ? { ...diagnosis, runbook } : diagnosis, config.probe);
  const route = resolveRoute(shown, config.routing);
  const endpoint = shown.endpoint;
  const offer = endpoint ? probeOffer(config.probe, endpoint.host.includes(':') ? `[${endpoint.host}]:${endpoint.port}` : `${endpoint.host}:${endpoint.port}`) : undefined;
  return { diagnosis: shown, ...(route ? { route } : {}), ...(offer?.allowed ? { probeTarget: offer.target } : {}) };
}
