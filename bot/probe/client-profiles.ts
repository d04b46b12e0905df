// Client profiles for `probe --as CLIENT`: what a real client puts in its ClientHello (versions,
// suites in its order, groups, key shares, signature algorithms, extensions in order) and the
// limits it enforces on the server (DH and key sizes). They are data: the built-in catalog
// (rules/catalog/client-profiles.json) and an ops team's own files in the rule directories (any
// .json file whose top level holds "clientProfiles"). Each file is validated here with zod and its
// names resolved to code points; an error names the file, the field and the value.
import { z } from 'zod';
import builtin from '../../rules/catalog/client-profiles.json' with { type: 'json' };
import type { EmulatedClient } from '../../rules/probe/emulation.js';
import { EXTENSION_CODES, GROUP_CODES, SIGNATURE_SCHEME_CODES } from '../../rules/probe/tls-names.data.js';
import { TriageError } from '../errors.js';
import { CIPHER_SUITE_ROWS } from './cipher-suites.data.js';
import { PROTOCOLS, type ProtocolName } from './protocol-names.js';

const ID = /^[a-z0-9]+(?:[-.][a-z0-9]+)*$/;
const HEX = /^(?:[0-9a-f]{2})*$/i;

const profileSchema = z
  .object({
    id: z.string().regex(ID, 'must be lower-case words joined by - or .'),
    name: z.string().min(1).max(80),
    /** The exact version the profile describes (release, build, settings). */
    version: z.string().min(1).max(300),
    aliases: z.array(z.string().regex(ID)).default([]),
    source: z
      .object({
        kind: z.enum(['capture', 'published-handshake', 'documentation']),
        /** How the values were obtained: the command run here, or what the cited page says. */
        detail: z.string().min(1).max(1000),
        url: z.url().optional(),
        date: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, 'YYYY-MM or YYYY-MM-DD').optional(),
      })
      .strict(),
    /** Offered versions, highest first (as in supported_versions). */
    versions: z.array(z.enum(PROTOCOLS as unknown as [ProtocolName, ...ProtocolName[]])).min(1),
    /** The record layer's version field (most clients write TLS 1.0 there). */
    recordVersion: z.enum(PROTOCOLS as unknown as [ProtocolName, ...ProtocolName[]]).default('TLSv1'),
    /** Cipher suites in the client's order: IANA or OpenSSL names, or "0x1301". */
    suites: z.array(z.string().min(1)).min(1).max(512),
    groups: z.array(z.string().min(1)).max(64).default([]),
    /** TLS 1.3: the groups it sends a key share for. */
    keyShares: z.array(z.string().min(1)).max(8).default([]),
    signatureAlgorithms: z.array(z.string().min(1)).max(64).default([]),
    signatureAlgorithmsCert: z.array(z.string().min(1)).max(64).optional(),
    alpn: z.array(z.string().min(1).max(255)).max(16).default([]),
    pointFormats: z.array(z.number().int().min(0).max(255)).max(8).default([0]),
    /** A 32-byte legacy session id (TLS 1.3 clients' middlebox compatibility), or none. */
    sessionId: z.boolean().optional(),
    /** Extensions in the order sent: names ("server_name"), or {type, data: hex} for anything else. */
    extensions: z
      .array(z.union([z.string().min(1), z.object({ type: z.number().int().min(0).max(65535), data: z.string().regex(HEX, 'hex bytes').max(2048) }).strict()]))
      .max(64),
    limits: z
      .object({
        minDhBits: z.number().int().min(0).max(16384),
        maxDhBits: z.number().int().min(0).max(16384),
        minRsaBits: z.number().int().min(0).max(16384),
        maxRsaBits: z.number().int().min(0).max(65536),
        minEcdsaBits: z.number().int().min(0).max(1024),
        /** The lowest version it really uses when the server picks it (it may offer older ones). */
        minVersion: z.enum(PROTOCOLS as unknown as [ProtocolName, ...ProtocolName[]]),
      })
      .partial()
      .strict()
      .default({}),
    notes: z.string().max(2000).optional(),
  })
  .strict();

const fileSchema = z.object({ $schema: z.string().optional(), description: z.string().optional(), clientProfiles: z.array(profileSchema).min(1).max(200) }).strict();

type ProfileSpec = z.output<typeof profileSchema>;

export interface ClientProfile extends EmulatedClient {
  readonly version: string;
  readonly aliases: readonly string[];
  readonly source: ProfileSpec['source'];
  readonly file: string;
  readonly versions: readonly ProtocolName[];
  readonly recordVersion: ProtocolName;
  readonly keyShares: readonly number[];
  readonly signatureAlgorithmsCert?: readonly number[];
  readonly alpn: readonly string[];
  readonly pointFormats: readonly number[];
  readonly sessionId: boolean;
  readonly extensions: readonly ({ name: string; type: number } | { type: number; data: Buffer })[];
  readonly notes?: string;
}

/** A rule-directory file holding profiles: found by its top-level key, read by the caller. */
export interface ProfileFileInput {
  readonly name: string;
  readonly json: unknown;
}

const SIGNALLING: Readonly<Record<string, number>> = { TLS_EMPTY_RENEGOTIATION_INFO_SCSV: 0x00ff, TLS_FALLBACK_SCSV: 0x5600 };
const SUITE_CODES = new Map<string, number>([
  ...CIPHER_SUITE_ROWS.flatMap((r): [string, number][] => [[r[1].toLowerCase(), r[0]], [r[2].toLowerCase(), r[0]]]),
  ...Object.entries(SIGNALLING).map(([name, code]): [string, number] => [name.toLowerCase(), code]),
]);

/** The closest known name, for "did you mean" (shared prefix, then length). */
function closest(value: string, names: Iterable<string>): string | undefined {
  const v = value.toLowerCase();
  let best: { name: string; score: number } | undefined;
  for (const name of names) {
    let common = 0;
    while (common < v.length && common < name.length && v[common] === name[common]) common++;
    const score = common * 4 - Math.abs(name.length - v.length);
    if (!best || score > best.score) best = { name, score };
  }
  return best && best.score > 8 ? best.name : undefined;
}

function resolver(table: ReadonlyMap<string, number>, what: string, problems: string[]) {
  return (values: readonly string[], at: string): number[] =>
    values.flatMap((value, i) => {
      if (/^0x[0-9a-f]{1,4}$/i.test(value)) return [Number(value)];
      const code = table.get(value.toLowerCase());
      if (code !== undefined) return [code];
      const hint = closest(value, table.keys());
      problems.push(`${at}[${i}]: unknown ${what} "${value}"${hint ? ` (did you mean "${hint}"?)` : ''}; or give its code as 0xNNNN`);
      return [];
    });
}

function resolveProfile(spec: ProfileSpec, file: string, at: string, problems: string[]): ClientProfile {
  const suites = resolver(SUITE_CODES, 'cipher suite', problems)(spec.suites, `${at}.suites`);
  const group = resolver(GROUP_CODES, 'group', problems);
  const sigalg = resolver(SIGNATURE_SCHEME_CODES, 'signature algorithm', problems);
  const groups = group(spec.groups, `${at}.groups`);
  const keyShares = group(spec.keyShares, `${at}.keyShares`);
  keyShares.forEach((g, i) => groups.includes(g) || problems.push(`${at}.keyShares[${i}]: a key share for a group not in groups`));
  const extensions = spec.extensions.map((e, i) => {
    if (typeof e !== 'string') return { type: e.type, data: Buffer.from(e.data, 'hex') };
    const type = EXTENSION_CODES.get(e.toLowerCase());
    if (type === undefined) {
      const hint = closest(e, EXTENSION_CODES.keys());
      problems.push(`${at}.extensions[${i}]: unknown extension "${e}"${hint ? ` (did you mean "${hint}"?)` : ''}; give {"type": N, "data": "hex"} for others`);
    }
    return { name: e.toLowerCase(), type: type ?? 0 };
  });
  const has = (name: string): boolean => extensions.some((e) => 'name' in e && e.name === name);
  if (spec.versions.includes('TLSv1.3')) {
    for (const needed of ['supported_versions', 'key_share']) if (!has(needed)) problems.push(`${at}.extensions: a TLS 1.3 client sends ${needed}`);
    if (keyShares.length === 0) problems.push(`${at}.keyShares: a TLS 1.3 client sends at least one key share`);
  }
  return {
    id: spec.id,
    name: spec.name,
    version: spec.version,
    aliases: spec.aliases,
    source: spec.source,
    file,
    versions: spec.versions,
    recordVersion: spec.recordVersion,
    suites,
    groups,
    keyShares,
    signatureAlgorithms: sigalg(spec.signatureAlgorithms, `${at}.signatureAlgorithms`),
    ...(spec.signatureAlgorithmsCert ? { signatureAlgorithmsCert: sigalg(spec.signatureAlgorithmsCert, `${at}.signatureAlgorithmsCert`) } : {}),
    alpn: spec.alpn,
    pointFormats: spec.pointFormats,
    sessionId: spec.sessionId ?? spec.versions.includes('TLSv1.3'),
    extensions,
    limits: spec.limits,
    ...(spec.notes ? { notes: spec.notes } : {}),
  };
}

/** Reads, validates and resolves profile files; throws a TriageError naming every problem. */
export function loadClientProfiles(files: readonly ProfileFileInput[] = []): ClientProfile[] {
  const problems: string[] = [];
  const out: ClientProfile[] = [];
  const seen = new Map<string, string>();
  for (const file of [{ name: 'builtin:client-profiles.json', json: builtin as unknown }, ...files]) {
    const parsed = fileSchema.safeParse(file.json);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${file.name}: ${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(top level)'}: ${issue.message}`);
      continue;
    }
    parsed.data.clientProfiles.forEach((spec, i) => {
      const at = `${file.name}: clientProfiles[${i}]`;
      for (const name of [spec.id, ...spec.aliases]) {
        const first = seen.get(name);
        if (first) problems.push(`${at}: "${name}" is already a client id or alias in ${first}`);
        else seen.set(name, file.name);
      }
      out.push(resolveProfile(spec, file.name, at, problems));
    });
  }
  if (problems.length > 0) throw new TriageError('RULES_INVALID', `invalid client profiles:\n  ${problems.join('\n  ')}`);
  return out;
}

/** The profile a user named (id or alias, any case); a usage error listing the ids otherwise. */
export function findClientProfile(profiles: readonly ClientProfile[], name: string): ClientProfile {
  const wanted = name.trim().toLowerCase();
  const found = profiles.find((p) => p.id === wanted || p.aliases.includes(wanted));
  if (found) return found;
  throw new TriageError('USAGE', `unknown client "${name}"; known clients: ${profiles.map((p) => p.id).join(', ')} (tls-triage probe --list-clients)`);
}
