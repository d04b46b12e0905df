import type { Logger } from 'pino';
import type { Diagnoser } from '../rules/index.js';
import type { Config } from './config.js';
import { helpReply } from './help.js';
import { resolveRoute } from './routing.js';
import type { Message, Reply } from './types.js';

export type { Message, Reply, Route, Platform } from './types.js';

/** Runs a probe for the bot; provided by bot/probe when the probe is enabled. */
export interface ProbeService {
  probe(target: string, who: { user: string; channel: string; platform: string }): Promise<Reply>;
}

export interface BotDeps {
  readonly diagnoser: Diagnoser;
  readonly config: Config;
  readonly logger: Logger;
  readonly probe?: ProbeService;
}

export interface Bot {
  /** The reply to a message, or null when the bot must stay silent (chatter, other bots). */
  handle(message: Message): Promise<Reply | null>;
}

type Intent = { kind: 'help' } | { kind: 'probe'; target: string } | { kind: 'diagnose'; text: string; explicit: boolean };

export function parseIntent(text: string): Intent {
  const trimmed = text.trim();
  const [word = '', ...rest] = trimmed.split(/\s+/);
  const command = word.toLowerCase().replace(/^\//, '');
  if ((command === 'help' || command === '?') && rest.length === 0) return { kind: 'help' };
  if (command === 'probe' && rest.length === 1 && !trimmed.includes('\n')) return { kind: 'probe', target: rest[0] as string };
  if (command === 'diagnose') return { kind: 'diagnose', text: trimmed.slice(word.length).trimStart(), explicit: true };
  return { kind: 'diagnose', text, explicit: false };
}

export function createBot(deps: BotDeps): Bot {
  const { diagnoser, config, logger } = deps;
  return {
    async handle(message) {
      const log = logger.child({ platform: message.platform, channel: message.channel, thread: message.thread });
      if (message.fromBot) return null;
      const intent = parseIntent(message.text);
      if (intent.kind === 'help') return message.addressed ? helpReply() : null;
      if (intent.kind === 'probe') {
        if (!message.addressed) return null;
        if (!deps.probe) return { kind: 'error', code: 'PROBE_DISABLED', text: 'The probe is not enabled in this bot.' };
        return deps.probe.probe(intent.target, { user: message.user, channel: message.channel, platform: message.platform });
      }
      if (Buffer.byteLength(intent.text) > config.input.maxChatBytes) {
        return { kind: 'error', code: 'INPUT_TOO_LARGE', text: `That paste is larger than ${config.input.maxChatBytes} bytes; upload it as a file or use the CLI (tls-triage diagnose FILE).` };
      }
      const started = performance.now();
      const diagnosis = await diagnoser.diagnoseText(intent.text);
      log.info({ cause: diagnosis.cause, team: diagnosis.team, chars: intent.text.length, ms: Math.round(performance.now() - started) }, 'diagnosis');
      // Silence in channels for text without TLS evidence: the bot must never spam a channel.
      if (diagnosis.cause === 'unknown' && !message.addressed && !intent.explicit) return null;
      const runbook = config.runbooks[diagnosis.cause];
      if (runbook) diagnosis.runbook = runbook;
      const route = resolveRoute(diagnosis, config.routing);
      return route ? { kind: 'diagnosis', diagnosis, route } : { kind: 'diagnosis', diagnosis };
    },
  };
}
