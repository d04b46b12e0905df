import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from 'pino';

// Bolt, its WebClient and the Socket Mode client log through @slack/logger's interface; this sends
// them to the process's pino logger. Their debug output is dropped on purpose: it prints request
// bodies (message text, file names) that tls-triage never logs.

export function boltLogger(logger: Logger): BoltLogger {
  const log = (level: 'info' | 'warn' | 'error', parts: unknown[]): void => {
    const err = parts.find((p): p is Error => p instanceof Error);
    const msg = parts.filter((p) => !(p instanceof Error)).map((p) => (typeof p === 'string' ? p : safeJson(p))).join(' ');
    if (err) logger[level]({ err }, msg || err.message);
    else logger[level](msg);
  };
  return {
    debug: () => undefined,
    info: (...msg: unknown[]) => log('info', msg),
    warn: (...msg: unknown[]) => log('warn', msg),
    error: (...msg: unknown[]) => log('error', msg),
    // The level is pino's (LOG_LEVEL); Bolt's own setting must not change it.
    setLevel: () => undefined,
    getLevel: () => LogLevel.INFO,
    setName: () => undefined,
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
