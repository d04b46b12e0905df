// runProbe as the CLI and the chat run it (target parsing, policy, engine, rules), with the
// policy opened for 127.0.0.1 only, for tests of whole probes.
import { createLogger } from '../../../../bot/logger.js';
import { probePolicySchema } from '../../../../bot/probe/policy.js';
import { runProbe, type ProbeRequest, type ProbeRun } from '../../../../bot/probe/run-probe.js';
import { createProbeDiagnoser } from '../../../../rules/probe/diagnoser.js';

const diagnoser = await createProbeDiagnoser();
const logger = createLogger('silent');

export function probeTarget(input: string, extra: Partial<ProbeRequest> = {}, allow: string[] = ['127.0.0.1']): Promise<ProbeRun> {
  return runProbe({ input, ciphers: false, timeoutMs: 15_000, ...extra }, { policy: probePolicySchema.parse({ allow, deny: [] }), diagnoser, logger });
}

/** The probe's JSON, or a failed test naming why there is none. */
export async function probeJson(input: string, extra: Partial<ProbeRequest> = {}) {
  const run = await probeTarget(input, extra);
  if (!run.ok) throw new Error(`probe of ${input} failed: ${run.message}`);
  return run.result;
}
