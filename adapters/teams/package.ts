import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeZip } from './zip.js';

// `npm run teams:package [-- --out FILE]`: the Teams app package a Teams admin uploads
// (manifest.json, color.png, outline.png at the zip root). The bot id is the Azure Bot's
// Microsoft App ID, read from MicrosoftAppId at packaging time. The app's own id is derived from
// it, so packaging again for the same bot produces an update of the same Teams app, not a second one.

const APP_PACKAGE = fileURLToPath(new URL('./app-package/', import.meta.url));
const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const SCOPES = ['team', 'groupChat', 'personal'] as const;

/** Chat commands Teams suggests when users type in the compose box (title <= 32, description <= 128). */
export const TEAMS_COMMANDS: readonly { title: string; description: string }[] = [
  { title: 'probe', description: 'probe host:port: connect and check protocols, certificate chain and client-certificate request' },
  { title: 'diagnose', description: 'diagnose <log lines>: root cause, acting team and next steps for the pasted lines' },
  { title: 'help', description: 'What tls-triage understands and how to ask it' },
  { title: 'status', description: 'In an incident thread: current diagnosis, evidence held and the MustGather checklist' },
  { title: 'summary', description: 'In an incident thread: hand-over summary with the timeline' },
];

export interface PackageInput {
  /** MicrosoftAppId of the Azure Bot. */
  readonly botId: string;
  readonly version: string;
  /** Manifest id; derived from botId when absent. */
  readonly teamsAppId?: string;
  readonly websiteUrl?: string;
  readonly privacyUrl?: string;
  readonly termsOfUseUrl?: string;
}

export class PackageError extends Error {}

export function buildManifest(input: PackageInput): Record<string, unknown> {
  if (!GUID.test(input.botId)) throw new PackageError(`MicrosoftAppId must be the Azure Bot's Microsoft App ID (a GUID), got "${input.botId}"`);
  const teamsAppId = input.teamsAppId ?? derivedAppId(input.botId);
  if (!GUID.test(teamsAppId)) throw new PackageError(`TEAMS_APP_ID must be a GUID, got "${teamsAppId}"`);
  if (!/^\d+\.\d+\.\d+$/.test(input.version)) throw new PackageError(`the app version must be MAJOR.MINOR.PATCH, got "${input.version}"`);
  const site = input.websiteUrl ?? 'https://example.com/tls-triage';
  const vars: Record<string, string> = {
    botId: input.botId,
    teamsAppId,
    version: input.version,
    websiteUrl: site,
    privacyUrl: input.privacyUrl ?? `${site.replace(/\/$/, '')}/privacy`,
    termsOfUseUrl: input.termsOfUseUrl ?? `${site.replace(/\/$/, '')}/terms`,
  };
  for (const key of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl']) {
    if (!/^https:\/\//i.test(vars[key] ?? '')) throw new PackageError(`${key} must be an https URL, got "${vars[key]}"`);
  }
  const commandLists = SCOPES.map((scope) => ({ scopes: [scope], commands: TEAMS_COMMANDS }));
  const fill = (value: unknown): unknown => {
    if (value === '{{commandLists}}') return commandLists;
    if (typeof value === 'string') return value.replace(/\{\{(\w+)\}\}/g, (_, name: string) => vars[name] ?? `{{${name}}}`);
    if (Array.isArray(value)) return value.map(fill);
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]));
    return value;
  };
  const template = JSON.parse(readFileSync(resolve(APP_PACKAGE, 'manifest.template.json'), 'utf8')) as unknown;
  return fill(template) as Record<string, unknown>;
}

export function buildPackage(input: PackageInput): Buffer {
  const manifest = buildManifest(input);
  const file = (name: string): Buffer => readFileSync(resolve(APP_PACKAGE, name));
  return writeZip([
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) },
    { name: 'color.png', data: file('color.png') },
    { name: 'outline.png', data: file('outline.png') },
  ]);
}

/** A stable GUID (v5 layout) from the bot id. */
function derivedAppId(botId: string): string {
  const hash = createHash('sha1').update(`tls-triage teams app\u0000${botId.toLowerCase()}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function main(argv: readonly string[], env: NodeJS.ProcessEnv): number {
  const outIndex = argv.indexOf('--out');
  const out = resolve(outIndex >= 0 && argv[outIndex + 1] ? argv[outIndex + 1]! : 'dist/teams-app.zip');
  const botId = env.MicrosoftAppId?.trim();
  if (!botId) {
    process.stderr.write('teams:package: MicrosoftAppId is not set. Set it to the Microsoft App ID of your Azure Bot (Azure portal > the bot > Configuration), e.g. MicrosoftAppId=... npm run teams:package\n');
    return 2;
  }
  if (!existsSync(resolve(APP_PACKAGE, 'manifest.template.json'))) {
    process.stderr.write(`teams:package: ${APP_PACKAGE} not found; run it from the source tree (npm run teams:package)\n`);
    return 2;
  }
  const version = env.TEAMS_APP_VERSION ?? (JSON.parse(readFileSync(resolve(APP_PACKAGE, '../../../package.json'), 'utf8')) as { version: string }).version;
  try {
    const zip = buildPackage({
      botId,
      version,
      ...(env.TEAMS_APP_ID ? { teamsAppId: env.TEAMS_APP_ID } : {}),
      ...(env.TEAMS_APP_WEBSITE_URL ? { websiteUrl: env.TEAMS_APP_WEBSITE_URL } : {}),
      ...(env.TEAMS_APP_PRIVACY_URL ? { privacyUrl: env.TEAMS_APP_PRIVACY_URL } : {}),
      ...(env.TEAMS_APP_TERMS_URL ? { termsOfUseUrl: env.TEAMS_APP_TERMS_URL } : {}),
    });
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, zip);
  } catch (error) {
    if (!(error instanceof PackageError)) throw error;
    process.stderr.write(`teams:package: ${error.message}\n`);
    return 2;
  }
  process.stdout.write(`wrote ${out} (bot ${botId}, version ${version}); upload it in Teams admin center > Teams apps > Manage apps > Upload new app\n`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2), process.env);
