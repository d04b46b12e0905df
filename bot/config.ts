import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { CAUSE_IDS } from '../rules/vocabulary.js';
import { caFileProblem } from './certificates/ca-files.js';
import { parseCidr } from './probe/address.js';
import { probePolicySchema } from './probe/policy.js';
import { applyChatEnv, CHAT_ENV_FOR_KEY, CHAT_ENV_NAMES, serverSchema, slackSchema, teamsSchema, unknownChatEnv } from './config-chat.js';
import { listenSchema } from './listen/config.js';
import { TriageError } from './errors.js';
import { inputSchema } from './input-limits.js';

// The only reader of process.env. Configuration comes from one JSON file (TLS_TRIAGE_CONFIG, else
// ./tls-triage.json when present); environment variables override it; the result is validated
// once at start-up and any problem names the key.

const routingTarget = z.string().min(1).max(200);
export const configSchema = z
  .object({
    rules: z.object({ dirs: z.array(z.string().min(1)).default([]) }).strict().default({ dirs: [] }),
    routing: z
      .object({
        roles: z
          .object({ client: routingTarget, server: routingTarget, security: routingTarget, network: routingTarget, both: routingTarget })
          .partial()
          .strict()
          .default({}),
        datapowerDomains: z.record(z.string(), routingTarget).default({}),
        datapowerObjects: z.record(z.string(), routingTarget).default({}),
        clientCidrs: z
          .record(z.string(), routingTarget)
          .default({})
          .superRefine((map, ctx) => {
            for (const key of Object.keys(map)) {
              const parsed = parseCidr(key);
              if (!parsed.ok) ctx.addIssue({ code: 'custom', path: [key], message: parsed.error });
            }
          }),
      })
      .strict()
      .default({ roles: {}, datapowerDomains: {}, datapowerObjects: {}, clientCidrs: {} }),
    runbooks: z
      .record(z.string(), z.url())
      .default({})
      .superRefine((map, ctx) => {
        for (const key of Object.keys(map)) {
          if (!(CAUSE_IDS as string[]).includes(key)) ctx.addIssue({ code: 'custom', path: [key], message: `unknown cause id "${key}"` });
        }
      }),
    probe: probePolicySchema.default(probePolicySchema.parse({ allow: [], deny: [] })),
    /** The chat's `listen` command (bot/listen): off unless ports are given. */
    listen: listenSchema,
    store: z
      .object({
        path: z.string().min(1).default('./data/tls-triage.db'),
        redisUrl: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
        retentionDays: z.number().int().min(1).max(3650).default(30),
      })
      .strict()
      .default({ path: './data/tls-triage.db', retentionDays: 30 }),
    certificates: z
      .object({
        /** PEM files of private CAs that certificates pasted or uploaded are verified against, besides the system store. */
        caFiles: z
          .array(z.string().min(1))
          .default([])
          .superRefine((files, ctx) => {
            files.forEach((file, i) => {
              const problem = caFileProblem(file);
              if (problem) ctx.addIssue({ code: 'custom', path: [i], message: problem });
            });
          }),
      })
      .strict()
      .default({ caFiles: [] }),
    server: serverSchema,
    slack: slackSchema.optional(),
    teams: teamsSchema.optional(),
    chat: z
      .object({
        /** Bot or integration user ids whose messages are answered (other bots are ignored). */
        allowBots: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .default({ allowBots: [] }),
    logging: z
      .object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') })
      .strict()
      .default({ level: 'info' }),
    input: inputSchema,
  })
  .strict();
export type Config = z.output<typeof configSchema>;

export type Env = Readonly<Record<string, string | undefined>>;

export interface LoadedConfig {
  config: Config;
  /** Where the file came from, for the start-up log line; undefined when none was used. */
  file?: string;
  /** LOG_LEVEL or the file's logging.level asked for a level (the CLI logs nothing otherwise). */
  logLevelSet: boolean;
}

export interface LoadOptions {
  /**
   * Refuse variables that look like a chat setting but are not one (the bot's start-up: a misspelt
   * SLACK_TOKEN must not silently open the console instead).
   */
  readonly strictChatEnv?: boolean;
}

export function loadConfig(env: Env = process.env, cwd: string = process.cwd(), options: LoadOptions = {}): LoadedConfig {
  if (options.strictChatEnv) {
    const unknown = unknownChatEnv(env);
    if (unknown.length > 0) {
      throw new TriageError('CONFIG_INVALID', `${unknown.join('\n  ')}\n  (tls-triage reads ${CHAT_ENV_NAMES.join(', ')}; unset or rename the variable to start)`);
    }
  }
  const explicit = env.TLS_TRIAGE_CONFIG;
  const file = explicit ? resolve(cwd, explicit) : existsSync(resolve(cwd, 'tls-triage.json')) ? resolve(cwd, 'tls-triage.json') : undefined;
  let raw: Record<string, unknown> = {};
  if (file) {
    if (!existsSync(file)) throw new TriageError('CONFIG_INVALID', `config file ${file} (TLS_TRIAGE_CONFIG) does not exist`);
    try {
      raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new TriageError('CONFIG_INVALID', `config file ${file} is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new TriageError('CONFIG_INVALID', `config file ${file}: the top level must be a JSON object`);
    }
  }
  const merged = applyEnv(structuredClone(raw), env);
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `config key ${keyPath(issue.path)}: ${issue.message}${sourceOf(issue.path, env)}`);
    throw new TriageError('CONFIG_INVALID', `invalid configuration${file ? ` (${file})` : ''}:\n  ${lines.join('\n  ')}`);
  }
  const logLevelSet = env.LOG_LEVEL !== undefined || (typeof raw.logging === 'object' && raw.logging !== null && 'level' in raw.logging);
  return file ? { config: parsed.data, file, logLevelSet } : { config: parsed.data, logLevelSet };
}

/** The configuration with a run's own --allow entries added to the probe policy (checked like the file's). */
export function withAllow(config: Config, allow: readonly string[] | undefined): Config {
  if (!allow || allow.length === 0) return config;
  const probe = probePolicySchema.safeParse({ ...config.probe, allow: [...config.probe.allow, ...allow] });
  if (!probe.success) throw new TriageError('USAGE', `--allow: ${probe.error.issues.map((i) => i.message).join('; ')}`);
  return { ...config, probe: probe.data };
}

function applyEnv(raw: Record<string, unknown>, env: Env): Record<string, unknown> {
  const section = (name: string): Record<string, unknown> => {
    const value = raw[name];
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    const fresh: Record<string, unknown> = {};
    raw[name] = fresh;
    return fresh;
  };
  const list = (value: string): string[] => value.split(',').map((s) => s.trim()).filter(Boolean);
  if (env.TLS_TRIAGE_RULES) section('rules').dirs = [...asArray(section('rules').dirs), ...list(env.TLS_TRIAGE_RULES)];
  if (env.LOG_LEVEL) section('logging').level = env.LOG_LEVEL;
  if (env.PROBE_ALLOW) section('probe').allow = [...asArray(section('probe').allow), ...list(env.PROBE_ALLOW)];
  if (env.PROBE_DENY) section('probe').deny = [...asArray(section('probe').deny), ...list(env.PROBE_DENY)];
  if (env.PROBE_MODE) section('probe').mode = env.PROBE_MODE;
  if (env.PROBE_AUDIT_FILE) section('probe').auditFile = env.PROBE_AUDIT_FILE;
  if (env.REDIS_URL) section('store').redisUrl = env.REDIS_URL;
  if (env.TLS_TRIAGE_DB) section('store').path = env.TLS_TRIAGE_DB;
  if (env.TLS_TRIAGE_RETENTION_DAYS) section('store').retentionDays = Number(env.TLS_TRIAGE_RETENTION_DAYS);
  if (env.TLS_TRIAGE_CA_FILES) section('certificates').caFiles = [...asArray(section('certificates').caFiles), ...list(env.TLS_TRIAGE_CA_FILES)];
  applyChatEnv(env, section);
  return raw;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function keyPath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(top level)';
}

const ENV_FOR_KEY: Record<string, string> = {
  'rules.dirs': 'TLS_TRIAGE_RULES',
  'logging.level': 'LOG_LEVEL',
  'probe.allow': 'PROBE_ALLOW',
  'probe.deny': 'PROBE_DENY',
  'probe.mode': 'PROBE_MODE',
  'probe.auditFile': 'PROBE_AUDIT_FILE',
  'store.redisUrl': 'REDIS_URL',
  'store.path': 'TLS_TRIAGE_DB',
  'store.retentionDays': 'TLS_TRIAGE_RETENTION_DAYS',
  'certificates.caFiles': 'TLS_TRIAGE_CA_FILES',
  ...CHAT_ENV_FOR_KEY,
};
function sourceOf(path: readonly PropertyKey[], env: Env): string {
  const key = path.filter((p) => typeof p === 'string').slice(0, 2).join('.');
  const variable = ENV_FOR_KEY[key];
  return variable && env[variable] ? ` (set by ${variable})` : '';
}
