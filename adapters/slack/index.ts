import { App, SocketModeReceiver, webApi, type Receiver } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Bot } from '../../bot/index.js';
import type { SlackConfig } from '../../bot/config-chat.js';
import type { ChatAdapter, HttpHost } from '../http/server.js';
import { boltLogger } from './bolt-logger.js';
import { Detached } from './detached.js';
import { FastAckReceiver } from './fast-ack-receiver.js';
import { commandAck, registerListeners } from './listeners.js';
import { TriageError } from '../../bot/errors.js';

// Slack through Bolt: Socket Mode when an app-level token is configured (no public URL needed),
// otherwise HTTP mode on the shared server's /slack/events, verified with the signing secret and
// answered before any processing (fast-ack-receiver.ts says why not Bolt's ExpressReceiver).

export const SLACK_EVENTS_PATH = '/slack/events';
/** The config default of input.maxChatBytes: larger uploads are not downloaded at all. */
const DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024;

export type SlackMode = 'socket' | 'http';

const DEFAULT_API_URL = 'https://slack.com/api/';

export interface SlackStartOptions {
  readonly bot: Bot;
  readonly config: SlackConfig;
  readonly host: HttpHost;
  readonly logger: Logger;
  /** Uploads above this are not downloaded (pass config.input.maxChatBytes). */
  readonly maxFileBytes?: number;
}

export interface SlackAdapter extends ChatAdapter {
  readonly mode: SlackMode;
  /** The bot's own user id (from auth.test). */
  readonly botUserId: string;
}

export function slackMode(config: Partial<SlackConfig>): SlackMode {
  return config.appToken ? 'socket' : 'http';
}

/**
 * Replies must not be lost to rate limits: on HTTP 429 the WebClient waits Retry-After and tries
 * again (rejectRateLimitedCalls false), and also retries network failures and 5xx with backoff,
 * up to 10 times over about 30 minutes. A call that hangs is abandoned after 30 s and retried.
 */
const WEB_CLIENT_RETRIES = { retries: 10, factor: 1.96821, randomize: true } as const;

export async function startSlack(options: SlackStartOptions): Promise<SlackAdapter> {
  const { bot, config, host } = options;
  const logger = options.logger.child({ platform: 'slack' });
  const mode = slackMode(config);
  const clientOptions: webApi.WebClientOptions = {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    retryConfig: WEB_CLIENT_RETRIES,
    rejectRateLimitedCalls: false,
    timeout: 30_000,
    logger: boltLogger(logger),
  };

  // auth.test first, with few retries: a wrong token must stop start-up now, not in 30 minutes.
  const apiUrl = config.apiUrl ?? DEFAULT_API_URL;
  const identity = await startupCall(apiUrl, 'auth.test', 'checking SLACK_BOT_TOKEN', () => new webApi.WebClient(config.botToken, { ...clientOptions, retryConfig: { retries: 2 } }).auth.test());
  if (!identity.user_id || !identity.bot_id) throw new TriageError('PLATFORM_UNREACHABLE', `Slack: auth.test at ${apiUrl} gave no bot user: SLACK_BOT_TOKEN must be a bot token (xoxb-...)`);
  const botUserId = identity.user_id;

  const detached = new Detached((error) => logger.error({ err: error }, 'slack message failed'));
  let receiver: Receiver;
  if (mode === 'socket') {
    receiver = new SocketModeReceiver({
      appToken: config.appToken as string,
      logger: boltLogger(logger),
      // The socket client makes its own apps.connections.open call and ignores the App's clientOptions.
      installerOptions: { clientOptions: { ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}) } },
    });
  } else {
    if (!config.signingSecret) throw new Error('Slack HTTP mode needs SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode)');
    receiver = new FastAckReceiver({
      signingSecret: config.signingSecret,
      app: host.app,
      path: SLACK_EVENTS_PATH,
      logger,
      commandAck,
      defer: (work) => detached.run(work),
      onArrival: () => detached.arrived(),
      maxBodyBytes: config.maxBodyBytes,
      maxUnverifiedBodies: config.maxUnverifiedBodies,
    });
  }

  const app = new App({
    token: config.botToken,
    botId: identity.bot_id,
    botUserId,
    receiver,
    clientOptions,
    logger: boltLogger(logger),
    // Conversation state lives in the incident store, keyed by thread, not in Bolt's per-channel store.
    convoStore: false,
  });

  const track = (work: () => Promise<void>): void => detached.run(work);
  const trustedOrigins = config.apiUrl ? [new URL(config.apiUrl).origin] : [];
  registerListeners(app, { bot, botToken: config.botToken, botUserId, logger, maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, trustedOrigins, track });

  // HTTP mode has nothing to start: the shared server listens for every adapter.
  if (mode === 'socket') await startupCall(apiUrl, 'apps.connections.open', 'opening the Socket Mode connection with SLACK_APP_TOKEN', () => app.start());
  logger.info({ mode, botUserId, team: identity.team_id }, 'slack adapter started');

  return {
    name: 'slack',
    mode,
    botUserId,
    async stop() {
      await app.stop();
      await detached.idle();
    },
  };
}

/**
 * A call start-up depends on. Its failure stops start-up with a sentence that names the URL and what
 * was being done, not the WebClient's "WebAPIRequestError ... fetch failed".
 */
async function startupCall<T>(apiUrl: string, method: string, doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new TriageError('PLATFORM_UNREACHABLE', `Slack: ${doing} failed: ${method} at ${apiUrl}${method} ${why(error)} (SLACK_API_URL sets the address)`);
  }
}

/** The reason inside a WebClient error: Slack's own error code, or the network error under "fetch failed". */
function why(error: unknown): string {
  const e = error as { data?: { error?: unknown }; original?: { message?: unknown; cause?: { code?: unknown; message?: unknown } }; message?: unknown; cause?: { code?: unknown } };
  if (typeof e.data?.error === 'string') return `answered "${e.data.error}"`;
  const cause = e.original?.cause ?? e.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const message = typeof e.original?.message === 'string' ? e.original.message : typeof e.message === 'string' ? e.message : String(error);
  return `could not be reached (${code ? `${code}: ` : ''}${message.split('\n')[0]?.slice(0, 200)})`;
}
