import type { RuleEngine } from '../engine/rule-engine.js';
import { exportSignals, legacyServerProfiles, enabledProtocols, isActive, SERVER_PROFILE_CLASSES, type ExportDiagnosis, type ExportObservation } from './signals.js';
import type { GroupFacts } from '../logs/fact-buckets.js';
import { primaryOf, warningsOf } from '../engine/verdict.js';

/**
 * Diagnoses an export with the same engine as logs: the built-in catalog only warns (a configuration
 * shows no failing handshake); an ops team's rule file may still name a cause from the signals.
 */
export async function diagnoseExport(observation: ExportObservation, engine: RuleEngine): Promise<ExportDiagnosis> {
  const signals = exportSignals(observation);
  // No vantage and nothing causal: an export was written by no side of a handshake.
  const facts: GroupFacts = { signals, vantage: 'unknown', sources: ['datapower-export'], causalSignals: 0 };
  const verdict = await engine.evaluateAll(facts);
  const fill = placeholders(observation);
  const warnings = warningsOf(verdict.warnings, fill);
  const context = { source: 'datapower', ...(observation.domain ? { domain: observation.domain } : {}) };
  const flags = { vantage: 'unknown' as const, redHerringPresent: false, redHerringOnly: false, evidence: [], context, domainExport: observation };
  const primary = primaryOf(verdict.diagnoses, fill);
  if (primary) return { ...primary, ...flags, warnings };
  const profiles = observation.objects.filter((o) => o.class.startsWith('SSL'));
  const where = observation.domain ? `domain ${observation.domain}` : 'a DataPower configuration';
  return {
    cause: 'unknown',
    team: 'none',
    title: `DataPower export of ${where}: ${profiles.length} SSL profile(s) read, no failure in a configuration file`,
    explanation:
      `A configuration export shows how the TLS objects are set up, not a failing handshake, so it names no cause on its own. ${frontSide(observation)}` +
      (warnings.length > 0 ? ' The warnings below still deserve a ticket.' : ''),
    ...flags,
    nextSteps: [
      `Paste the SSL library error lines of the failing handshake (same domain) into this thread: with the export, the diagnosis names the profile setting to change`,
      ...(observation.firmware ? [] : ['Add the firmware version (Status > System > Version Information): the export does not show it']),
    ],
    warnings,
    others: [],
  };
}

/** One sentence on what clients of this device meet: the front-side profiles and their protocols. */
function frontSide(o: ExportObservation): string {
  const front = o.objects.filter((x) => SERVER_PROFILE_CLASSES.includes(x.class) && isActive(x));
  if (front.length === 0) return 'It holds no active front-side (server) profile.';
  const shown = front.slice(0, 5).map((x) => `${x.name} (${enabledProtocols(x).join(', ') || 'no protocol on'})`);
  return `Front-side profiles: ${shown.join('; ')}${front.length > 5 ? `; and ${front.length - 5} more` : ''}.`;
}

function placeholders(o: ExportObservation): (text: string) => string {
  const legacy = legacyServerProfiles(o);
  const values: Record<string, string> = {
    domain: o.domain ?? '(no domain)',
    name: o.name,
    legacyProfiles: legacy.map((x) => `${x.class} '${x.name}' (${enabledProtocols(x).join(', ')})`).join(', ') || '(none)',
    sslv3Profiles: legacy.filter((x) => x.protocols?.SSLv3 === true).map((x) => `'${x.name}'`).join(', ') || '(none)',
  };
  return (text) => text.replace(/\{(domain|name|legacyProfiles|sslv3Profiles)\}/g, (_, key: string) => values[key] ?? '');
}
