import clientEmulation from '../catalog/client-emulation.json' with { type: 'json' };
import listen from '../catalog/listen.json' with { type: 'json' };
import probe from '../catalog/probe.json' with { type: 'json' };
import starttls from '../catalog/starttls.json' with { type: 'json' };
import type { RuleFileInput } from '../engine/load.js';

// The rule files of the live checks: the probe's own, STARTTLS, client emulation (probe --as) and the
// listener. probe.json is in the engine's registry (engine/builtin.ts); the other three join every
// rule set here (rules/index.ts, the probe and listen diagnosers), so a chat incident re-diagnosing a
// probe or a listener's evidence uses the same rules as the CLI.

export const PROBE_RULE_FILES: readonly RuleFileInput[] = [
  { name: 'builtin:probe.json', json: probe },
  { name: 'builtin:starttls.json', json: starttls },
  { name: 'builtin:client-emulation.json', json: clientEmulation },
];

/** The rule files the engine's registry does not hold yet. */
export const LIVE_CHECK_RULE_FILES: readonly RuleFileInput[] = [
  { name: 'builtin:starttls.json', json: starttls },
  { name: 'builtin:client-emulation.json', json: clientEmulation },
  { name: 'builtin:listen.json', json: listen },
];

/** Every rule of the probe's files, in file order (for the compiled signal engine). */
export const PROBE_RULES = [...probe.rules, ...starttls.rules, ...clientEmulation.rules];
