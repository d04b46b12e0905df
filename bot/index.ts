import type { Logger } from 'pino';
import type { Diagnoser, ProbeObservation } from '../rules/index.js';
import type { Config } from './config.js';
import { collectEvidence } from './evidence.js';
import { helpReply } from './help.js';
import { createIncidents, type Incidents } from './incidents.js';
import { InputGate } from './input-gate.js';
import { parseIntent, type Command, type Intent } from './intent.js';
import { presentDiagnosis } from './present.js';
import { privateKeyWarning } from './private-key-warning.js';
import type { IncidentKey, IncidentStore, NewEvidence } from './store/types.js';
import { ThreadLock } from './thread-lock.js';
import type { Message, Reply, ReplyChannel } from './types.js';
import type { ListenService } from './listen/service.js';

export type { Attachment, Message, Reply, ReplyChannel, Route, Platform } from './types.js';
export { isCommandLine } from './intent.js';

/** What a probe asked from chat gives back: a reply to show, and on success the observation to keep. */
export type ProbeOutcome = { ok: true; reply: Reply; observation: ProbeObservation; target: string } | { ok: false; reply: Reply };

/** Runs a probe for the bot; provided by bot/probe when the probe is enabled. */
export interface ProbeService {
  /** `as`: a client profile id (probe --as): the server meets that client's ClientHello. */
  probe(target: string, who: { user: string; channel: string; platform: string }, options?: { as?: string }): Promise<ProbeOutcome>;
}

export interface BotDeps {
  readonly diagnoser: Diagnoser;
  readonly config: Config;
  readonly logger: Logger;
  readonly store: IncidentStore;
  readonly probe?: ProbeService;
  /** The chat's listener; absent unless the configuration gives it ports (listen.ports). */
  readonly listen?: ListenService;
}

export interface Bot {
  /** Handles one message; replies go to `out` (nothing is posted when the bot must stay silent). */
  handle(message: Message, out: ReplyChannel): Promise<void>;
  /** Resolves when every message being handled has been answered (graceful shutdown). */
  drain(): Promise<void>;
}

// A redelivered chat event is skipped while its first delivery is being handled (lease) and for a
// day after it was answered; platforms stop retrying long before that.
const EVENT_LEASE_MS = 60_000;
const EVENT_KEEP_MS = 24 * 60 * 60 * 1000;

export function createBot(deps: BotDeps): Bot {
  const { diagnoser, config, logger, store } = deps;
  const incidents = createIncidents({ diagnoser, config, store, logger });
  const lock = new ThreadLock();
  const gate = new InputGate(config.input.maxConcurrentInputs);
  const inFlight = new Set<Promise<void>>();

  async function answer(message: Message, out: ReplyChannel): Promise<void> {
    const key: IncidentKey | undefined = message.thread ? { platform: message.platform, channel: message.channel, thread: message.thread } : undefined;
    const intent = parseIntent(message.text);
    if (intent.kind === 'command' || intent.kind === 'feedback') {
      // 'details' and 'feedback' only mean something in an incident's thread: there they need no mention.
      const threadWord = intent.kind === 'feedback' || intent.command === 'details';
      if (!message.addressed && !(threadWord && key && (await incidents.exists(key)))) return;
      await out.post(intent.kind === 'feedback' ? await feedback(intent, key, message) : await runCommand(intent.command, key, message.user));
      return;
    }
    if (intent.kind === 'probe') {
      if (!message.addressed) return;
      await probe(intent.target, message, key, out, intent.as);
      return;
    }
    if (intent.kind === 'listen') {
      if (message.addressed) await listen(message, key, out);
      return;
    }
    if (Buffer.byteLength(intent.text) > config.input.maxChatBytes) {
      await out.post({ kind: 'error', code: 'INPUT_TOO_LARGE', text: `That paste is larger than ${config.input.maxChatBytes} bytes; upload it as a file or use the CLI (tls-triage diagnose FILE).` });
      return;
    }
    await gate.run(() => diagnose(message, intent.text, intent.explicit, key, out));
  }

  /** Reads what a message carries and adds it to its incident: at most input.maxConcurrentInputs at once. */
  async function diagnose(message: Message, text: string, explicit: boolean, key: IncidentKey | undefined, out: ReplyChannel): Promise<void> {
    const started = performance.now();
    const collected = await collectEvidence(message, text, diagnoser, config.input, new Date().toISOString(), config.certificates.caFiles);
    const addressed = message.addressed || explicit;
    logger.info({ platform: message.platform, channel: message.channel, chars: text.length, files: message.files?.length ?? 0, evidence: collected.records.length, keys: collected.privateKeys, ms: Math.round(performance.now() - started) }, 'message');
    // The warning comes first and whether or not anyone spoke to the bot: the key is exposed now.
    if (collected.privateKeys > 0) await out.post({ kind: 'warning', warning: privateKeyWarning(collected.privateKeys, 'chat') });
    if (addressed) for (const problem of collected.problems) await out.post({ kind: 'error', code: 'INPUT_UNREADABLE', text: problem });
    if (collected.records.length > 0 && key) {
      await incidents.addEvidence(key, collected.records, message.user, out);
      return;
    }
    if (collected.records.length > 0) {
      // No thread to keep an incident in: answer this message alone, whole, as nothing keeps it for "Details".
      if (collected.pasteDiagnosis) await out.post({ kind: 'diagnosis', ...presentDiagnosis(collected.pasteDiagnosis, config), full: true });
      return;
    }
    // Nothing to keep. Spoken to, the bot says so, unless the warning or a file error already did.
    if (!addressed || collected.problems.length > 0 || collected.privateKeys > 0) return;
    if (key && (await incidents.exists(key))) {
      await out.post({ kind: 'notice', text: "No TLS evidence in that message, so nothing was added to this incident. 'status' shows what it holds." });
    } else if (collected.pasteDiagnosis) {
      await out.post({ kind: 'diagnosis', ...presentDiagnosis(collected.pasteDiagnosis, config), ...(key ? {} : { full: true }) });
    }
  }

  async function probe(target: string, message: Message, key: IncidentKey | undefined, out: ReplyChannel, as?: string): Promise<void> {
    if (!deps.probe) {
      await out.post({ kind: 'error', code: 'PROBE_DISABLED', text: 'The probe is not enabled in this bot.' });
      return;
    }
    const outcome = await deps.probe.probe(target, { user: message.user, channel: message.channel, platform: message.platform }, as ? { as } : {});
    if (!outcome.ok || !key) {
      // Outside a thread the result is shown whole: nothing keeps it for "Details" later.
      await out.post(outcome.reply.kind === 'diagnosis' ? { ...outcome.reply, full: true } : outcome.reply);
      return;
    }
    const record: NewEvidence = {
      kind: 'probe',
      user: message.user,
      at: new Date().toISOString(),
      name: outcome.target,
      observation: outcome.observation,
      bytes: 0,
      gathered: diagnoser.mustGather.fromProbe(),
      ...(message.eventId ? { eventId: message.eventId } : {}),
    };
    // Into an existing incident the probe's own result comes first, then what it changed.
    await incidents.addEvidence(key, [record], message.user, out, async (created) => {
      if (!created) await out.post(outcome.reply);
    });
  }

  /**
   * `listen`: the reply says where to point the client; what the listener saw joins the incident when
   * it closes, through a channel that stays usable after this message (ReplyChannel.detach).
   */
  async function listen(message: Message, key: IncidentKey | undefined, out: ReplyChannel): Promise<void> {
    if (!deps.listen) {
      await out.post({ kind: 'error', code: 'LISTEN_DISABLED', text: 'The listener is off in this bot: set listen.ports (e.g. "45000-45010") and listen.advertise in the configuration.' });
      return;
    }
    if (!key) {
      await out.post({ kind: 'notice', text: "'listen' works inside an incident thread: what arrives is added to that incident." });
      return;
    }
    const started = await deps.listen.start({ user: message.user, channel: message.channel, platform: message.platform }, `${key.platform}\u0000${key.channel}\u0000${key.thread}`);
    await out.post(started.reply);
    if (!started.ok) return;
    const later = out.detach?.() ?? out;
    const lockKey = `${key.platform}\u0000${key.channel}\u0000${key.thread}`;
    const work = started.done
      .then((result) => {
        const record: NewEvidence = { kind: 'listen', user: message.user, at: new Date().toISOString(), name: result.name, listen: result.observation, bytes: 0, gathered: [] };
        return lock.run(lockKey, () => incidents.addEvidence(key, [record], message.user, later));
      })
      .catch((error: unknown) => {
        logger.error({ err: error, platform: message.platform, channel: message.channel }, 'listener failed');
        return later.post({ kind: 'error', code: 'INTERNAL', text: 'The listener failed; nothing was added to the incident. Check the bot log.' }).then(() => undefined);
      })
      .finally(() => inFlight.delete(work));
    inFlight.add(work);
  }

  async function runCommand(command: Command, key: IncidentKey | undefined, user: string): Promise<Reply> {
    if (command === 'help') return helpReply();
    if (!key) return { kind: 'notice', text: `'${command}' works inside an incident thread: reply in the thread of the bot's diagnosis.` };
    if (command === 'status' || command === 'summary') return incidents.report(key, command);
    if (command === 'details') return incidents.details(key);
    if (command === 'resolve') return incidents.resolve(key, user);
    return incidents.forget(key);
  }

  async function feedback(intent: Extract<Intent, { kind: 'feedback' }>, key: IncidentKey | undefined, message: Message): Promise<Reply> {
    if (!intent.verdict) return { kind: 'notice', text: "Say 'feedback right' when the cause was right, or 'feedback wrong <what it was>' when it was not, in the thread of the diagnosis." };
    if (!key) return { kind: 'notice', text: "'feedback' works in the thread of a diagnosis: reply there, or use its Right cause / Wrong cause buttons." };
    return incidents.feedback(key, message.user, intent.verdict, intent.comment, message.clickedCause);
  }

  async function handle(message: Message, out: ReplyChannel): Promise<void> {
    if (message.fromBot && !config.chat.allowBots.includes(message.user)) return;
    if (message.eventId && !(await store.claimEvent(message.eventId, EVENT_LEASE_MS))) {
      logger.info({ platform: message.platform, event: message.eventId }, 'duplicate event skipped');
      return;
    }
    const lockKey = message.thread ? `${message.platform}\u0000${message.channel}\u0000${message.thread}` : undefined;
    try {
      if (lockKey) await lock.run(lockKey, () => answer(message, out));
      else await answer(message, out);
    } catch (error) {
      logger.error({ err: error, platform: message.platform, channel: message.channel }, 'message failed');
      await out.post({ kind: 'error', code: 'INTERNAL', text: 'Something went wrong handling that message; it may not have been added to the incident. Try again, or check the bot log.' }).catch(() => undefined);
      return;
    }
    // Only an answered event is marked done; a failed one may be redelivered and tried again.
    if (message.eventId) await store.completeEvent(message.eventId, EVENT_KEEP_MS);
  }

  return {
    handle(message, out) {
      const work = handle(message, out).finally(() => inFlight.delete(work));
      inFlight.add(work);
      return work;
    },
    async drain() {
      // Running listeners close now; what they saw is still added to their incidents.
      deps.listen?.stopAll();
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
