import type { Logger } from 'pino';
import type { Diagnoser } from '../../rules/index.js';
import type { Config } from '../config.js';
import type { ProbeService } from '../index.js';
import { presentDiagnosis } from '../present.js';
import { readCaFiles } from '../certificates/ca-files.js';
import { createFileLogger } from '../logger.js';
import { auditProbe } from './audit.js';
import { ProbeLimits } from './limits.js';
import { runProbe } from './run-probe.js';
import { readProfileFiles } from '../rules-files.js';
import { findClientProfile, loadClientProfiles } from './client-profiles.js';
import { isTriageError } from '../errors.js';

/**
 * The probe as the chat bot offers it: who may probe from where, how often, how many at once, then
 * the same runProbe as the CLI. Refusals are replies that name the limit or the policy rule.
 */
export function createProbeService(config: Config, diagnoser: Diagnoser, logger: Logger, limits = new ProbeLimits(config.probe)): ProbeService {
  // Audit lines stay in the bot's log at info; a configured audit file gets them too.
  const auditTo = config.probe.auditFile ? [logger, createFileLogger(config.probe.auditFile)] : [logger];
  // `probe host:port as CLIENT`: the built-in profiles and the ops team's, checked at start-up.
  const profiles = loadClientProfiles(readProfileFiles(config.rules.dirs));
  return {
    async probe(target, who, options = {}) {
      let emulate;
      try {
        emulate = options.as !== undefined ? findClientProfile(profiles, options.as) : undefined;
      } catch (error) {
        if (!isTriageError(error)) throw error;
        return { ok: false, reply: { kind: 'error', code: 'USAGE', text: error.message } };
      }
      const audit = { user: who.user, channel: who.channel, platform: who.platform, target, addresses: [] as string[] };
      const access = limits.canProbe({ user: who.user, channel: who.channel });
      if (!access.ok) {
        auditProbe(auditTo, { ...audit, verdict: 'refused', rule: access.limit });
        return { ok: false, reply: { kind: 'error', code: 'PROBE_REFUSED', text: access.message } };
      }
      const rate = limits.checkRate(who.user);
      if (!rate.ok) {
        auditProbe(auditTo, { ...audit, verdict: 'rate-limited', rule: rate.limit });
        return { ok: false, reply: { kind: 'error', code: 'PROBE_RATE_LIMITED', text: rate.message } };
      }
      const slot = limits.tryAcquire();
      if (!slot.ok) {
        auditProbe(auditTo, { ...audit, verdict: 'busy', rule: slot.limit });
        return { ok: false, reply: { kind: 'error', code: 'PROBE_BUSY', text: slot.message } };
      }
      try {
        // certificates.caFiles: a private CA the operator trusts is trusted by chat probes too.
        const extraCaPem = readCaFiles(config.certificates.caFiles);
        const run = await runProbe(
          { input: target, ciphers: false, timeoutMs: config.probe.timeoutMs, ...(extraCaPem.length > 0 ? { extraCaPem } : {}), ...(emulate ? { emulate } : {}) },
          { policy: config.probe, diagnoser, logger, audit: auditTo, who },
        );
        if (!run.ok) return { ok: false, reply: { kind: 'error', code: run.kind === 'refused' ? 'PROBE_REFUSED' : 'USAGE', text: run.message } };
        return { ok: true, reply: { kind: 'diagnosis', ...presentDiagnosis(run.result, config) }, observation: run.observation, target: run.result.target };
      } finally {
        slot.release();
      }
    },
  };
}
