import { CallerIdConstants, CloudAdapter, ConfigurationBotFrameworkAuthentication, type Activity, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { TeamsConfig } from '../../bot/config-chat.js';
import type { Bot } from '../../bot/index.js';
import type { ChatAdapter, HttpHost } from '../http/server.js';
import { errorFacts } from './reply-channel.js';
import { createTurnHandler } from './turn.js';
import { WorkQueue } from './work-queue.js';

// Microsoft Teams through the Bot Framework (botbuilder CloudAdapter) on the shared HTTP server's
// /api/messages. Every Bot Framework type stays inside adapters/teams/: the SDK is archived and
// its successor (Microsoft 365 Agents SDK) should be a change to this folder only.

export const TEAMS_ROUTE = '/api/messages';
const DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024;

export interface StartTeamsOptions {
  readonly bot: Bot;
  readonly config: TeamsConfig;
  readonly host: HttpHost;
  readonly logger: Logger;
  /** Largest attachment downloaded (config input.maxChatBytes); 20 MiB by default. */
  readonly maxFileBytes?: number;
}

export interface TeamsAdapter extends ChatAdapter {
  /** Resolves when every accepted message has been answered (tests; stop() waits for it too). */
  idle(): Promise<void>;
}

export async function startTeams(options: StartTeamsOptions): Promise<TeamsAdapter> {
  const { bot, config, host } = options;
  const logger = options.logger.child({ platform: 'teams' });
  const appId = config.appId ?? '';
  if (!appId && !config.allowUnauthenticated) throw new Error('Teams: MicrosoftAppId is required (TEAMS_ALLOW_UNAUTHENTICATED=true only for local development)');
  const auth = new ConfigurationBotFrameworkAuthentication(authSettings(config));
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (_ctx, error) => {
    logger.error({ err: errorFacts(error) }, 'teams turn failed');
  };
  const work = new WorkQueue((error) => logger.error({ err: errorFacts(error) }, 'teams reply failed'));
  const turn = createTurnHandler({ bot, config, adapter, appId, work, logger, maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES });
  let accepting = true;

  // Authentication runs here rather than inside adapter.process() so a refusal is a logged 401
  // (process() prints the error with console.error and cannot be given a logger).
  async function receive(req: Request, res: Response): Promise<void> {
    if (!accepting) {
      res.status(503).end();
      return;
    }
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null || typeof (body as { type?: unknown }).type !== 'string') {
      res.status(400).end();
      return;
    }
    const activity = body as Activity;
    let identity: Awaited<ReturnType<typeof auth.authenticateRequest>>;
    try {
      identity = await auth.authenticateRequest(activity, req.get('authorization') ?? '');
    } catch (error) {
      // Every failure to authenticate is a 401 with nothing processed: a forged token (alg none,
      // HS256, a self-signed key, expired) and one that cannot be checked (unknown key id, signing
      // keys unreachable) alike. The SDK throws raw jsonwebtoken and fetch errors for some of
      // these; none of them may become a 500, which would tell a forger what failed.
      const facts = errorFacts(error);
      logger.warn({ status: 401, reason: facts.message }, 'teams request refused');
      res.status(401).end();
      return;
    }
    try {
      await adapter.processActivityDirect(identity, activity, turn);
      res.status(activity.type === 'invoke' ? 501 : 200).end();
    } catch (error) {
      logger.error({ err: errorFacts(error) }, 'teams activity failed');
      res.status(500).end();
    }
  }

  host.app.post(TEAMS_ROUTE, express.json({ limit: '2mb' }), (req, res) => void receive(req, res));
  // A body that is not JSON (or too large) ends here, not in Express's default HTML error page.
  host.app.use(TEAMS_ROUTE, (error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const status = (error as { status?: number }).status ?? 400;
    logger.warn({ status }, 'teams request body rejected');
    res.status(status >= 400 && status < 500 ? status : 400).end();
  });

  logger.info({ authenticated: appId !== '', appType: config.appType, allowedTenants: config.allowedTenants.length }, `teams adapter listening on ${TEAMS_ROUTE}`);
  if (!appId) logger.warn('Teams authentication is OFF (TEAMS_ALLOW_UNAUTHENTICATED=true): anyone who can reach /api/messages can use the bot; local development only');

  return {
    name: 'teams',
    async stop() {
      accepting = false;
      await work.idle();
    },
    idle: () => work.idle(),
  };
}

function authSettings(config: TeamsConfig): ConfigurationBotFrameworkAuthenticationOptions {
  // No app id = botbuilder's "authentication disabled" mode: inbound requests need no token and
  // outbound calls carry none.
  if (!config.appId) return {};
  return {
    MicrosoftAppId: config.appId,
    MicrosoftAppType: config.appType,
    ...(config.openIdMetadataUrl ? publicCloudWith(config.openIdMetadataUrl) : {}),
    ...(config.appPassword ? { MicrosoftAppPassword: config.appPassword } : {}),
    ...(config.tenantId ? { MicrosoftAppTenantId: config.tenantId } : {}),
  };
}

/**
 * The public cloud's endpoints with another signing-key document. botbuilder takes any one of
 * these settings as "all of them are given", so the others are spelled out (their values are the
 * SDK's public-cloud constants; CallerIdConstants.PublicAzureChannel is exported, the rest not).
 */
function publicCloudWith(openIdMetadataUrl: string): ConfigurationBotFrameworkAuthenticationOptions {
  return {
    ValidateAuthority: true,
    ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
    ToChannelFromBotOAuthScope: 'https://api.botframework.com',
    ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
    OAuthUrl: 'https://api.botframework.com',
    ToBotFromChannelOpenIdMetadataUrl: openIdMetadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
    CallerId: CallerIdConstants.PublicAzureChannel,
  };
}
