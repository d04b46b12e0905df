import type { Diagnosis } from '../rules/index.js';
import type { Config } from './config.js';
import { resolveRoute } from './routing.js';
import type { Route } from './types.js';

/** Adds what the configuration knows about a diagnosis: its runbook link and whom to mention. */
export function presentDiagnosis(diagnosis: Diagnosis, config: Config): { diagnosis: Diagnosis; route?: Route } {
  const runbook = config.runbooks[diagnosis.cause];
  const shown = runbook ? { ...diagnosis, runbook } : diagnosis;
  const route = resolveRoute(shown, config.routing);
  return route ? { diagnosis: shown, route } : { diagnosis: shown };
}
