// One structured audit line per probe decision. Probes make the bot an SSRF
// surface, so every attempt (allowed or not) must be attributable to a user and
// channel after the fact. Fields are stable so log queries keep working.
import type { Logger } from 'pino';
import { formatTarget } from './target.js';

export type ProbeAuditVerdict = 'allowed' | 'refused' | 'rate-limited' | 'busy';

export interface ProbeAuditEntry {
  user?: string;
  channel?: string;
  platform?: string;
  /** Parsed target, or the raw text when parsing failed. */
  target: { host: string; port: number } | string;
  addresses: string[];
  verdict: ProbeAuditVerdict;
  rule?: string;
  cause?: string;
  durationMs?: number;
}

// User-controlled text ends up here; cap it so one message cannot flood the log.
const MAX_FIELD = 512;
const MAX_ADDRESSES = 32;

function cap(text: string): string {
  return text.length > MAX_FIELD ? `${text.slice(0, MAX_FIELD)}…` : text;
}

/** Writes the audit line to each logger (the process log, and a configured audit file). */
export function auditProbe(logger: Logger | readonly Logger[], entry: ProbeAuditEntry): void {
  const record: Record<string, unknown> = {
    event: 'probe-audit',
    verdict: entry.verdict,
    target: cap(typeof entry.target === 'string' ? entry.target : formatTarget(entry.target)),
    addresses: entry.addresses.slice(0, MAX_ADDRESSES).map(cap),
  };
  if (typeof entry.target !== 'string') {
    record.host = cap(entry.target.host);
    record.port = entry.target.port;
  }
  if (entry.user !== undefined) record.user = cap(entry.user);
  if (entry.channel !== undefined) record.channel = cap(entry.channel);
  if (entry.platform !== undefined) record.platform = cap(entry.platform);
  if (entry.rule !== undefined) record.rule = cap(entry.rule);
  if (entry.cause !== undefined) record.cause = cap(entry.cause);
  if (entry.durationMs !== undefined) record.durationMs = Math.round(entry.durationMs);
  for (const each of Array.isArray(logger) ? (logger as readonly Logger[]) : [logger as Logger]) each.info(record, 'probe audit');
}
