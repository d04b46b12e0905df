import { CardFactory, TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import type { Logger } from 'pino';
import type { Reply, ReplyChannel } from '../../bot/types.js';
import { cardSummary, renderCard } from './render.js';

// Replies into one Teams reply chain. Outgoing activities are addressed from the conversation
// reference of the message being answered, not from the turn's own activity: in a proactive turn
// (continueConversationAsync) that activity is a synthetic "continue" event whose random id would
// otherwise become the replyToId of everything sent.

export interface TeamsConversation {
  send(reply: Reply): Promise<string | undefined>;
  replace(id: string, reply: Reply): Promise<void>;
  remove(id: string): Promise<void>;
}

export function cardActivity(reply: Reply): Partial<Activity> {
  return { type: 'message', summary: cardSummary(reply), attachments: [CardFactory.adaptiveCard(renderCard(reply))] };
}

export function conversationOf(ctx: TurnContext, reference: Partial<ConversationReference>): TeamsConversation {
  return {
    async send(reply) {
      const activity = TurnContext.applyConversationReference(cardActivity(reply), reference);
      const [sent] = await ctx.adapter.sendActivities(ctx, [activity]);
      return sent?.id || undefined;
    },
    async replace(id, reply) {
      const activity = TurnContext.applyConversationReference({ ...cardActivity(reply), id }, reference);
      delete activity.replyToId;
      await ctx.adapter.updateActivity(ctx, activity);
    },
    async remove(id) {
      await ctx.adapter.deleteActivity(ctx, { ...reference, activityId: id });
    },
  };
}

export interface TeamsReplyChannel extends ReplyChannel {
  /** Removes a "probing ..." placeholder nothing replaced (the bot stayed silent, e.g. a redelivery). */
  settle(): Promise<void>;
}

/**
 * The bot's ReplyChannel. With a placeholder (the "probing ..." card posted during the turn) the
 * first reply replaces it, so the result appears where the user saw the bot start working.
 */
export function createReplyChannel(conversation: TeamsConversation, options: { placeholder?: string; logger: Logger }): TeamsReplyChannel {
  let pending = options.placeholder;
  return {
    async post(reply) {
      const placeholder = pending;
      pending = undefined;
      if (placeholder) {
        try {
          await conversation.replace(placeholder, reply);
          return placeholder;
        } catch (error) {
          options.logger.warn({ err: errorFacts(error) }, 'teams: could not replace the probing message; posting the result instead');
        }
      }
      return conversation.send(reply);
    },
    async update(ref, reply) {
      // The follow-up that states the change has been posted already; a first reply that can no
      // longer be edited (deleted, too old) only stays stale, which is no reason to fail the turn.
      try {
        await conversation.replace(ref, reply);
      } catch (error) {
        options.logger.warn({ err: errorFacts(error) }, 'teams: could not update an earlier reply');
      }
    },
    async settle() {
      const placeholder = pending;
      pending = undefined;
      if (placeholder) await conversation.remove(placeholder).catch((error: unknown) => options.logger.warn({ err: errorFacts(error) }, 'teams: could not remove the probing message'));
    },
  };
}

/**
 * What is safe to log about a Bot Framework / HTTP error. The SDK's errors can carry the request
 * (headers with the bot's token, bodies with user text), so only these fields are kept.
 */
export function errorFacts(error: unknown): { name: string; message: string; status?: number; code?: string } {
  const e = error as { name?: unknown; message?: unknown; statusCode?: unknown; code?: unknown };
  const message = typeof e?.message === 'string' ? e.message.split('\n')[0]?.slice(0, 200) ?? '' : String(error).slice(0, 200);
  return {
    name: typeof e?.name === 'string' ? e.name : 'Error',
    message,
    ...(typeof e?.statusCode === 'number' ? { status: e.statusCode } : {}),
    ...(typeof e?.code === 'string' ? { code: e.code } : {}),
  };
}
