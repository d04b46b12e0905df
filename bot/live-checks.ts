import type { Logger } from 'pino';
import type { Diagnoser } from '../rules/index.js';
import type { Config } from './config.js';
import type { ProbeService } from './index.js';
import { createListenService, type ListenService } from './listen/service.js';
import { ProbeLimits } from './probe/limits.js';
import { createProbeService } from './probe/service.js';

/**
 * The chat's live checks, probe and listener, sharing one set of limits: who may use them and how
 * often is counted once for both. The listener exists only when the configuration gives it ports.
 */
export function createLiveChecks(config: Config, diagnoser: Diagnoser, logger: Logger): { probe: ProbeService; listen?: ListenService } {
  const limits = new ProbeLimits(config.probe);
  const listen = createListenService(config, logger, limits);
  return { probe: createProbeService(config, diagnoser, logger, limits), ...(listen ? { listen } : {}) };
}
