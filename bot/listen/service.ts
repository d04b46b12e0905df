import type { Logger } from 'pino';
import type { ListenObservation } from '../../rules/index.js';
import type { Config } from '../config.js';
import type { ProbeLimits } from '../probe/limits.js';
import type { Reply } from '../types.js';
import { portRange } from './config.js';
import { runListener, type ListenRun } from './listener.js';
import { listenObservation } from './observe.js';
import { parseVersions } from './secure-context.js';

// The listener as the chat bot offers it: `listen` in an incident thread opens a listener on the
// first free port of the configured range, tells where to point the client, and when it closes
// hands what it saw to the incident. Who may, and how often, are the probe's limits; every start
// and end is one audit line. One listener per thread at a time; a stop (shutdown) closes them all
// early, and what they saw so far still joins the incident.

export interface ListenWho {
  user: string;
  channel: string;
  platform: string;
}

export interface ListenResult {
  observation: ListenObservation;
  /** How the evidence is named in the incident ("listener on host:port, 3 connections"). */
  name: string;
}

export type ListenStart = { ok: true; reply: Reply; done: Promise<ListenResult> } | { ok: false; reply: Reply };

export interface ListenService {
  start(who: ListenWho, thread: string): Promise<ListenStart>;
  /** Ends every running listener now (their results still come). */
  stopAll(): void;
}

function audit(logger: Logger, entry: Record<string, unknown>): void {
  logger.info({ event: 'listen-audit', ...entry }, 'listen audit');
}

export function createListenService(config: Config, logger: Logger, limits: ProbeLimits): ListenService | undefined {
  const settings = config.listen;
  if (!settings.ports || !settings.advertise) return undefined;
  const ports = portRange(settings.ports);
  const advertise = settings.advertise;
  const versions = parseVersions(settings.versions);
  const running = new Map<string, AbortController>();

  async function bind(thread: string): Promise<{ port: number; run: Promise<ListenRun>; abort: AbortController } | undefined> {
    for (const port of ports) {
      const abort = new AbortController();
      let up: (bound: boolean) => void = () => undefined;
      const bound = new Promise<boolean>((resolve) => (up = resolve));
      const run = runListener({
        port,
        ...(settings.host ? { host: settings.host } : {}),
        seconds: settings.seconds,
        count: settings.maxConnections,
        requestCert: settings.requestCert,
        versions,
        signal: abort.signal,
        onListening: () => up(true),
      });
      run.catch(() => up(false));
      if (await bound) {
        running.set(thread, abort);
        return { port, run, abort };
      }
    }
    return undefined;
  }

  return {
    async start(who, thread) {
      const base = { user: who.user, channel: who.channel, platform: who.platform };
      const access = limits.canProbe({ user: who.user, channel: who.channel });
      if (!access.ok) {
        audit(logger, { ...base, verdict: 'refused', rule: access.limit });
        return { ok: false, reply: { kind: 'error', code: 'LISTEN_REFUSED', text: access.message.replace(/probe/g, 'listen') } };
      }
      if (running.has(thread)) return { ok: false, reply: { kind: 'notice', text: 'A listener is already running for this incident: what it sees will be added here when it closes.' } };
      const rate = limits.checkRate(who.user);
      if (!rate.ok) {
        audit(logger, { ...base, verdict: 'rate-limited', rule: rate.limit });
        return { ok: false, reply: { kind: 'error', code: 'LISTEN_RATE_LIMITED', text: rate.message } };
      }
      const listener = await bind(thread);
      if (!listener) {
        audit(logger, { ...base, verdict: 'busy', rule: 'listen.ports' });
        return { ok: false, reply: { kind: 'error', code: 'LISTEN_BUSY', text: `Every listener port (${settings.ports}) is in use; try again when one closes.` } };
      }
      const where = `${advertise}:${listener.port}`;
      audit(logger, { ...base, verdict: 'allowed', port: listener.port, seconds: settings.seconds });
      const done = listener.run
        .then((run) => {
          const observation = listenObservation(run, where);
          audit(logger, { ...base, verdict: 'ended', port: listener.port, connections: run.summary.connections, stoppedBy: run.stoppedBy });
          return { observation, name: `listener on ${where}, ${run.summary.connections} connection(s)` };
        })
        .finally(() => running.delete(thread));
      const certificate = settings.requestCert ? 'client certificates requested' : 'no client certificate asked for';
      return {
        ok: true,
        done,
        reply: {
          kind: 'notice',
          text:
            `Listening on ${where} for ${settings.seconds} s or ${settings.maxConnections} connections (${versions.join(', ')}; a throw-away self-signed certificate; ${certificate}). ` +
            `Point the client at ${where} now: what it offers, the certificate it presents and how its handshakes end join this incident when the listener closes. A client refusing the throw-away certificate is expected.`,
        },
      };
    },
    stopAll() {
      for (const abort of running.values()) abort.abort();
    },
  };
}
