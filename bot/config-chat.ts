import { z } from 'zod';

// The chat platforms' sections of the configuration. A section is present only when some of its
// credentials are; partial credentials are a start-up error naming what is missing.

export const serverSchema = z
  .object({
    /** One HTTP server for /slack/events, /api/messages and /healthz. */
    port: z.number().int().min(0).max(65535).default(3000),
    host: z.string().min(1).default('0.0.0.0'),
  })
  .strict()
  .default({ port: 3000, host: '0.0.0.0' });

export const slackSchema = z
  .object({
    botToken: z.string({ error: 'SLACK_BOT_TOKEN (slack.botToken) is required when any Slack setting is given' }).regex(/^xox[bp]-/, 'must be a Slack bot token (xoxb-...)'),
    /** Socket Mode when set. */
    appToken: z.string().regex(/^xapp-/, 'must be a Slack app-level token (xapp-...)').optional(),
    /** HTTP mode (Bolt's /slack/events) when there is no app token. */
    signingSecret: z.string().min(1).optional(),
    /** Web API base URL, e.g. http://127.0.0.1:PORT/api/ for tests or an Enterprise Grid proxy. */
    apiUrl: z.url().optional(),
    /** HTTP mode: the largest request body read (Slack's event and command bodies are far smaller). */
    maxBodyBytes: z.number().int().min(16 * 1024).max(16 * 1024 * 1024).default(1024 * 1024),
    /** HTTP mode: request bodies read at once before their signature is checked; past it, 503 (Slack retries). */
    maxUnverifiedBodies: z.number().int().min(1).max(1024).default(16),
  })
  .strict()
  .superRefine((slack, ctx) => {
    if (!slack.appToken && !slack.signingSecret) {
      ctx.addIssue({ code: 'custom', path: ['signingSecret'], message: 'set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode) besides SLACK_BOT_TOKEN' });
    }
  });
export type SlackConfig = z.output<typeof slackSchema>;

export const teamsSchema = z
  .object({
    appId: z.string().min(1).optional(),
    appPassword: z.string().min(1).optional(),
    tenantId: z.string().min(1).optional(),
    appType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
    /** Local development only: no app id, no authentication. */
    allowUnauthenticated: z.boolean().default(false),
    /** Tenant ids whose messages are answered; empty = any. */
    allowedTenants: z.array(z.string().min(1)).default([]),
    /** Where the Bot Framework's token signing keys are published (another cloud's, or a local one in tests); default the public cloud's. */
    openIdMetadataUrl: z.url().optional(),
  })
  .strict()
  .superRefine((teams, ctx) => {
    const issue = (path: string, message: string): void => ctx.addIssue({ code: 'custom', path: [path], message });
    if (teams.allowUnauthenticated && teams.appId) {
      issue('allowUnauthenticated', 'TEAMS_ALLOW_UNAUTHENTICATED=true switches authentication off and is for local development without an app id; MicrosoftAppId is set too: remove one of them');
    }
    if (!teams.allowUnauthenticated && !teams.appId) issue('appId', 'MicrosoftAppId is required (or TEAMS_ALLOW_UNAUTHENTICATED=true for local development)');
    if (teams.appId && !teams.appPassword && teams.appType !== 'UserAssignedMSI') issue('appPassword', 'MicrosoftAppPassword is required with MicrosoftAppId');
    if (teams.appType === 'SingleTenant' && !teams.tenantId) issue('tenantId', 'MicrosoftAppTenantId is required when MicrosoftAppType is SingleTenant');
  });
export type TeamsConfig = z.output<typeof teamsSchema>;

type Env = Readonly<Record<string, string | undefined>>;
type Section = (name: string) => Record<string, unknown>;

/** Maps the platforms' usual environment variables onto their sections. */
export function applyChatEnv(env: Env, section: Section): void {
  const list = (value: string): string[] => value.split(',').map((s) => s.trim()).filter(Boolean);
  if (env.PORT) section('server').port = /^\d+$/.test(env.PORT) ? Number(env.PORT) : env.PORT;
  const slack: [string, string][] = [['SLACK_BOT_TOKEN', 'botToken'], ['SLACK_APP_TOKEN', 'appToken'], ['SLACK_SIGNING_SECRET', 'signingSecret'], ['SLACK_API_URL', 'apiUrl']];
  for (const [variable, key] of slack) if (env[variable]) section('slack')[key] = env[variable];
  const teams: [string, string][] = [['MicrosoftAppId', 'appId'], ['MicrosoftAppPassword', 'appPassword'], ['MicrosoftAppTenantId', 'tenantId'], ['MicrosoftAppType', 'appType']];
  for (const [variable, key] of teams) if (env[variable]) section('teams')[key] = env[variable];
  const open = env.TEAMS_ALLOW_UNAUTHENTICATED;
  if (open) section('teams').allowUnauthenticated = open === 'true' ? true : open === 'false' ? false : open;
  if (env.TEAMS_ALLOWED_TENANTS) section('teams').allowedTenants = list(env.TEAMS_ALLOWED_TENANTS);
}

export const CHAT_ENV_FOR_KEY: Record<string, string> = {
  'server.port': 'PORT',
  'slack.botToken': 'SLACK_BOT_TOKEN',
  'slack.appToken': 'SLACK_APP_TOKEN',
  'slack.signingSecret': 'SLACK_SIGNING_SECRET',
  'slack.apiUrl': 'SLACK_API_URL',
  'teams.appId': 'MicrosoftAppId',
  'teams.appPassword': 'MicrosoftAppPassword',
  'teams.tenantId': 'MicrosoftAppTenantId',
  'teams.appType': 'MicrosoftAppType',
  'teams.allowUnauthenticated': 'TEAMS_ALLOW_UNAUTHENTICATED',
  'teams.allowedTenants': 'TEAMS_ALLOWED_TENANTS',
};

/** The chat variables tls-triage reads, in the order "did you mean" prefers them on a tie. */
export const CHAT_ENV_NAMES = [
  'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'SLACK_API_URL',
  'MicrosoftAppId', 'MicrosoftAppPassword', 'MicrosoftAppTenantId', 'MicrosoftAppType',
  'TEAMS_ALLOW_UNAUTHENTICATED', 'TEAMS_ALLOWED_TENANTS',
] as const;

const CHAT_LOOKALIKE = /^(?:slack|teams|ms_?teams|microsoft|msapp|bot_?framework)/i;

/**
 * Variables that look like a chat setting but are not one (SLACK_TOKEN, SLACK_SECRET,
 * TEAMS_APP_ID...), each with what it probably meant. Without this a misspelt token silently opens
 * the local console instead of connecting.
 */
export function unknownChatEnv(env: Env): string[] {
  const known = new Set<string>(CHAT_ENV_NAMES);
  return Object.keys(env)
    .filter((name) => CHAT_LOOKALIKE.test(name) && !known.has(name) && env[name] !== undefined)
    .sort()
    .map((name) => {
      const guess = closestChatName(name);
      return `environment variable ${name} is not a tls-triage setting${guess ? `: did you mean ${guess}?` : ''}`;
    });
}

/** The known name sharing the most words with `name` (TEAMS counts as Microsoft's); none when only the platform matches. */
function closestChatName(name: string): string | undefined {
  const words = (text: string): Set<string> =>
    new Set(text.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase().split(/[^A-Z0-9]+/).filter(Boolean).map((w) => (w === 'TEAMS' || w === 'MS' ? 'MICROSOFT' : w)));
  const mine = words(name);
  let best: { name: string; score: number } | undefined;
  for (const candidate of CHAT_ENV_NAMES) {
    const theirs = words(candidate);
    const score = [...mine].filter((w) => theirs.has(w)).length;
    if (score >= 2 && (!best || score > best.score)) best = { name: candidate, score };
  }
  // A name that differs only in case is the one meant.
  return CHAT_ENV_NAMES.find((c) => c.toLowerCase() === name.toLowerCase()) ?? best?.name;
}
