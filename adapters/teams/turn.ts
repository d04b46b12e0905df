import { ActivityTypes, TurnContext, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { Logger } from 'pino';
import type { Bot } from '../../bot/index.js';
import { parseIntent } from '../../bot/intent.js';
import type { TeamsConfig } from '../../bot/config-chat.js';
import { downloadFiles } from './files.js';
import type { ReplyChannel } from '../../bot/types.js';
import { conversationOf, createReplyChannel, errorFacts, type TeamsConversation } from './reply-channel.js';
import { toMessage, type Incoming } from './to-message.js';
import type { WorkQueue } from './work-queue.js';

// One Teams turn. It must answer the HTTP request quickly (the Bot Connector gives up after about
// 15 s and redelivers), so the turn only checks the tenant, posts "probing ..." for a probe, and
// queues the real work, which continues proactively in the same reply chain.

export interface TurnDeps {
  readonly bot: Bot;
  readonly config: TeamsConfig;
  readonly adapter: CloudAdapter;
  /** The bot's app id; '' when authentication is off (what continueConversationAsync expects then). */
  readonly appId: string;
  readonly work: WorkQueue;
  readonly logger: Logger;
  readonly maxFileBytes: number;
}

export function createTurnHandler(deps: TurnDeps): (ctx: TurnContext) => Promise<void> {
  const { config, logger } = deps;
  return async (ctx) => {
    const activity = ctx.activity;
    if (activity.type !== ActivityTypes.Message) return;
    const incoming = toMessage(activity);
    if (!incoming) return;
    if (config.allowedTenants.length > 0 && !(incoming.tenant && config.allowedTenants.includes(incoming.tenant))) {
      logger.warn({ tenant: incoming.tenant ?? null }, 'teams message from a tenant outside TEAMS_ALLOWED_TENANTS ignored');
      return;
    }
    const base = TurnContext.getConversationReference(activity);
    // Proactive replies go to the reply chain's id so they land in the thread, not the channel.
    const reference: Partial<ConversationReference> = { ...base, conversation: { ...activity.conversation, id: incoming.replyConversationId } };
    let placeholder: string | undefined;
    const intent = parseIntent(incoming.message.text);
    if (intent.kind === 'probe' && incoming.message.addressed && !incoming.message.fromBot) {
      // Without the placeholder the result is simply posted later: no reason to drop the probe.
      placeholder = await conversationOf(ctx, reference)
        .send({ kind: 'notice', text: `Probing ${intent.target} … the result replaces this message.` })
        .catch((error: unknown) => void logger.warn({ err: errorFacts(error) }, 'teams: could not post the probing message'));
    }
    deps.work.run(incoming.message.thread, () => continueLater(deps, reference, incoming, placeholder));
  };
}

async function continueLater(deps: TurnDeps, reference: Partial<ConversationReference>, incoming: Incoming, placeholder: string | undefined): Promise<void> {
  const { adapter, logger } = deps;
  await adapter.continueConversationAsync(deps.appId, reference, async (ctx) => {
    // A reply after this turn (a chat listener's result) goes through a turn of its own.
    const out = { ...createReplyChannel(conversationOf(ctx, reference), { logger, ...(placeholder ? { placeholder } : {}) }), detach: () => laterChannel(deps, reference) };
    try {
      let message = incoming.message;
      if (incoming.files.length > 0) {
        const downloaded = await downloadFiles(incoming.files, {
          serviceUrl: reference.serviceUrl ?? '',
          token: botToken(ctx, deps.appId),
          maxBytes: deps.maxFileBytes,
          allowHttp: deps.appId === '',
        });
        logger.info({ files: incoming.files.length, downloaded: downloaded.files.length }, 'teams attachments');
        if (message.addressed) for (const problem of downloaded.problems) await out.post({ kind: 'error', ...problem });
        message = { ...message, files: downloaded.files };
      }
      await deps.bot.handle(message, out);
    } finally {
      await out.settle();
    }
  });
}

/** Replies into the same reply chain from a new proactive turn each: usable after the turn that made it. */
function laterChannel(deps: TurnDeps, reference: Partial<ConversationReference>): ReplyChannel {
  const inTurn = <T>(work: (c: TeamsConversation) => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      deps.adapter.continueConversationAsync(deps.appId, reference, async (ctx) => resolve(await work(conversationOf(ctx, reference)))).catch(reject);
    });
  return { post: (reply) => inTurn((c) => c.send(reply)), update: (ref, reply) => inTurn((c) => c.replace(ref, reply)) };
}

/** The Bot Connector token of this turn's connector client, for Teams-hosted attachment URLs. */
function botToken(ctx: TurnContext, appId: string): (() => Promise<string | undefined>) | undefined {
  if (!appId) return undefined;
  const client = ctx.turnState.get(ctx.adapter.ConnectorClientKey) as { credentials?: { getToken?: () => Promise<string> } } | undefined;
  const getToken = client?.credentials?.getToken?.bind(client.credentials);
  return getToken ? async () => getToken() : undefined;
}
