import { CLIENT_PROFILE_CLASSES, isActive, SERVER_PROFILE_CLASSES, type ExportObservation, type ExportReferrer, type ExportTlsObject, type TlsObjectClass } from './signals.js';
import type { DiagnosisContext } from '../types.js';
import type { Vantage } from '../vocabulary.js';

// Which object of an export a logged failure is about. DataPower log lines name their object as
// `ssl-server(MySSLServer)`; older or shortened lines name only the type, or only a name, and then
// the local port (a handler's LocalPort) or the only candidate of the right side has to do.

/** Log object types (shared/reference/datapower-and-openssl-messages.md) and the classes they stand for. */
const LOG_TYPE_CLASS: Readonly<Record<string, TlsObjectClass>> = {
  'ssl-server': 'SSLServerProfile',
  'ssl-sni-server': 'SSLSNIServerProfile',
  'ssl-client': 'SSLClientProfile',
  valcred: 'CryptoValCred',
};
/** Types that name a handler or service, whose TLS profile is found through its references. */
const SERVICE_TYPES = ['xmlfirewall', 'source-https', 'mpgw'];

export interface LogObject {
  readonly type?: string;
  readonly name?: string;
}

/** "ssl-server(X)" → type and name; "ssl-server" → type; "SSLError_ValCred" → name. */
export function parseLogObject(object: string | undefined): LogObject {
  if (!object) return {};
  const m = /^([a-z][a-z0-9-]*)\((.+)\)$/.exec(object.trim());
  if (m) return { type: m[1] as string, name: m[2] as string };
  const word = object.trim();
  return word in LOG_TYPE_CLASS || SERVICE_TYPES.includes(word) ? { type: word } : { name: word };
}

export interface Located {
  /** The TLS profile the failing connection used, when it could be told. */
  readonly profile?: ExportTlsObject;
  /** The validation credentials the log names (valcred(...)), when it names them. */
  readonly valcred?: ExportTlsObject;
  /** How the profile was found, when the log did not name it ("the handler on port 9195 uses it"). */
  readonly how?: string;
  /** Profiles of the right side when none could be singled out. */
  readonly candidates: readonly ExportTlsObject[];
  /** Why nothing in this export fits the log (another domain, a name the export lacks). */
  readonly mismatch?: string;
}

export function locate(o: ExportObservation, context: DiagnosisContext | undefined, vantage: Vantage): Located {
  const domain = context?.domain;
  const inDomain = <T extends { domain: string }>(list: readonly T[]): T[] => (domain ? list.filter((x) => x.domain === domain) : [...list]);
  const objects = inDomain(o.objects);
  const referrers = inDomain(o.referrers);
  if (domain && objects.length === 0 && o.objects.length > 0) {
    return { candidates: [], mismatch: `The log is from domain ${domain}, but this export holds domain(s) ${o.domains.join(', ') || '(none named)'}: export domain ${domain} to name the exact setting` };
  }
  const find = (cls: string, name: string): ExportTlsObject | undefined => objects.find((x) => x.class === cls && x.name === name);
  const side = sideClasses(vantage);
  const candidates = objects.filter((x) => side.includes(x.class) && isActive(x));
  const ref = parseLogObject(context?.object);
  const cls = ref.type ? LOG_TYPE_CLASS[ref.type] : undefined;

  if (ref.name && cls && cls !== 'CryptoValCred') {
    const profile = find(cls, ref.name);
    if (profile) return { profile, candidates };
    const held = objects.filter((x) => x.class === cls).map((x) => x.name);
    return { candidates, mismatch: `${cls} '${ref.name}' is not in this export${domain ? ` of domain ${domain}` : ''} (it holds ${held.length > 0 ? held.map((n) => `'${n}'`).join(', ') : `no ${cls}`})` };
  }
  // valcred(X), or a bare name that is a validation credential: the profiles that use it.
  const valcred = ref.name && (cls === 'CryptoValCred' || !ref.type) ? find('CryptoValCred', ref.name) : undefined;
  if (valcred) {
    const users = objects.filter((x) => x.class.startsWith('SSL') && x.references.some((r) => r.class === 'CryptoValCred' && r.name === valcred.name));
    const [only] = users;
    // No `how`: the step names the validation credentials the log named, which says it already.
    return only && users.length === 1 ? { profile: only, valcred, candidates } : { valcred, candidates: users.length > 0 ? users : candidates };
  }
  // A handler or service named by the log (xmlfirewall(X), source-https(X)): the profile it references.
  if (ref.name) {
    const viaName = profilesOf(referrers.filter((r) => r.name === ref.name), objects);
    if (viaName.length === 1) return { profile: viaName[0] as ExportTlsObject, how: `${ref.type ?? 'the object'} '${ref.name}' named in the log references it`, candidates };
  }
  // The local address of a front-side connection ("192.168.1.10:9195") against the handlers' LocalPort.
  const port = vantage !== 'client' && context?.server ? portOf(context.server) : undefined;
  if (port) {
    const listening = referrers.filter((r) => r.localPort === port);
    const viaPort = profilesOf(listening, objects);
    if (viaPort.length === 1) return { profile: viaPort[0] as ExportTlsObject, how: `${listening[0]?.class ?? 'the handler'} '${listening[0]?.name ?? ''}' on port ${port} uses it`, candidates };
  }
  const [single] = candidates;
  if (single && candidates.length === 1) return { profile: single, how: `the only active ${single.class} in the export${domain ? ` for domain ${domain}` : ''}`, candidates };
  return { candidates };
}

/** Objects of the classes the referrers point to, without duplicates. */
function profilesOf(referrers: readonly ExportReferrer[], objects: readonly ExportTlsObject[]): ExportTlsObject[] {
  const found: ExportTlsObject[] = [];
  for (const r of referrers) {
    for (const ref of r.references) {
      const hit = objects.find((x) => x.class === ref.class && x.name === ref.name && x.class.startsWith('SSL'));
      if (hit && !found.includes(hit)) found.push(hit);
    }
  }
  return found;
}

function sideClasses(vantage: Vantage): readonly TlsObjectClass[] {
  if (vantage === 'client') return CLIENT_PROFILE_CLASSES;
  if (vantage === 'server') return SERVER_PROFILE_CLASSES;
  return [...SERVER_PROFILE_CLASSES, 'SSLClientProfile'];
}

function portOf(address: string): string | undefined {
  // A bare IPv6 address has colons but no port.
  if (!address.startsWith('[') && address.split(':').length !== 2) return undefined;
  return /:(\d{1,5})$/.exec(address)?.[1];
}

/** The referrers (handlers, services) that use a profile: for "which port is this". */
export function usersOf(o: ExportObservation, profile: ExportTlsObject): ExportReferrer[] {
  return o.referrers.filter((r) => r.domain === profile.domain && r.references.some((x) => x.class === profile.class && x.name === profile.name));
}

/** An object this one references by class (its Idcred, its Valcred), when the export has it. */
export function referenced(o: ExportObservation, from: ExportTlsObject, cls: TlsObjectClass): { name: string; object?: ExportTlsObject } | undefined {
  const ref = from.references.find((r) => r.class === cls);
  if (!ref) return undefined;
  const object = o.objects.find((x) => x.class === cls && x.name === ref.name && x.domain === from.domain);
  return object ? { name: ref.name, object } : { name: ref.name };
}
