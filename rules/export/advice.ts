import { cipherAdvice, protocolAdvice } from './advice-protocols.js';
import { locate, referenced, usersOf } from './lookup.js';
import { SERVER_PROFILE_CLASSES, type ExportObservation, type ExportTlsObject } from './signals.js';
import { contradiction, protocolState, setting, where, type ExportAdvice, type Subject } from './words.js';
import type { Diagnosis } from '../types.js';
import type { CauseId } from '../vocabulary.js';

export type { ExportAdvice } from './words.js';

// A logged failure plus the export of the same domain: the exact setting to change. The log says
// what failed and on which object; the export says how that object is configured. When the two
// disagree (the profile would have accepted that handshake) the step says so instead of guessing.

const PROTOCOL_CAUSES: readonly CauseId[] = ['protocol-too-old', 'protocol-too-new', 'protocol-mismatch', 'legacy-ssl'];
const CLIENT_CERT_CAUSES: readonly CauseId[] = ['client-cert-missing', 'client-cert-untrusted', 'client-cert-expired'];
const SERVER_CERT_CAUSES: readonly CauseId[] = ['server-cert-untrusted', 'server-chain-incomplete', 'server-cert-expired', 'server-cert-hostname-mismatch'];
const CAUSES_WITH_SETTINGS: readonly CauseId[] = [...PROTOCOL_CAUSES, ...CLIENT_CERT_CAUSES, ...SERVER_CERT_CAUSES, 'no-shared-cipher', 'plain-http-on-tls-port'];

export function adviseFromExport(log: Pick<Diagnosis, 'cause' | 'vantage' | 'context'>, o: ExportObservation): ExportAdvice | undefined {
  if (!CAUSES_WITH_SETTINGS.includes(log.cause)) return undefined;
  const found = locate(o, log.context, log.vantage);
  if (found.mismatch) return { steps: [found.mismatch], settings: [] };
  if (found.profile) {
    const s: Subject = { profile: found.profile, observation: o, ...(found.how ? { how: found.how } : {}) };
    // An SSL Proxy Profile serves both sides: the log's vantage says which one failed.
    const front = SERVER_PROFILE_CLASSES.includes(found.profile.class) && !(found.profile.class === 'SSLProxyProfile' && log.vantage === 'client');
    return forProfile(log.cause, s, front, found.valcred);
  }
  if (found.valcred && CLIENT_CERT_CAUSES.includes(log.cause)) {
    const v = found.valcred;
    return { steps: [`In domain ${v.domain}, CryptoValCred '${v.name}' (named in the log): ${describeValcred(o, v)}. ${valcredFix(log.cause, v)}`], settings: [setting(v, 'Certificate', certificateNames(v).join(', ') || '(none)')] };
  }
  if (found.candidates.length > 1) {
    const shown = found.candidates.slice(0, 6).map((p) => `${p.class} '${p.name}'${ports(o, p)} (${brief(o, p, log.cause)})`);
    return {
      steps: [`The log does not say which profile failed; in ${o.domain ? `domain ${o.domain}` : 'this export'} the candidates are ${shown.join('; ')}${found.candidates.length > 6 ? '; ...' : ''}. The one the failing port's handler uses is the one to change`],
      settings: [],
    };
  }
  return undefined;
}

function forProfile(cause: CauseId, s: Subject, front: boolean, loggedValcred: ExportTlsObject | undefined): ExportAdvice | undefined {
  const { profile: p, observation: o } = s;
  if (PROTOCOL_CAUSES.includes(cause)) return protocolAdvice(cause, s, front);
  if (cause === 'no-shared-cipher') return cipherAdvice(s, front);
  if (cause === 'plain-http-on-tls-port') {
    const users = usersOf(o, p);
    if (users.length === 0) return undefined;
    const named = users.map((u) => `${u.class} '${u.name}'${u.localPort ? ` (port ${u.localPort})` : ''}`).join(', ');
    return { steps: [`${where(s)} terminates TLS for ${named}: the client sent plain HTTP there. It must use https:// on that port, or a plain HTTP port`], settings: users.filter((u) => u.localPort).map((u) => ({ domain: u.domain, class: u.class, name: u.name, setting: 'LocalPort', value: u.localPort as string, agrees: true })) };
  }
  // Client certificates are checked by the server side's validation credentials and presented from
  // the client side's identification credentials; server certificates the other way round.
  const checks = CLIENT_CERT_CAUSES.includes(cause) === front;
  return checks ? validationAdvice(cause, s, loggedValcred) : identificationAdvice(cause, s);
}

/** The profile checks the peer's certificate: RequireClientAuth and the CryptoValCred. */
function validationAdvice(cause: CauseId, s: Subject, loggedValcred: ExportTlsObject | undefined): ExportAdvice | undefined {
  const { profile: p, observation: o } = s;
  const ref = loggedValcred ? { name: loggedValcred.name, object: loggedValcred } : referenced(o, p, 'CryptoValCred');
  const vc = ref ? `CryptoValCred '${ref.name}'${ref.object ? ` (${describeValcred(o, ref.object)})` : ''}` : undefined;
  if (cause === 'client-cert-missing') {
    const require = p.clientAuth?.require;
    if (require === false) return contradiction(s, 'RequireClientAuth is off', 'RequireClientAuth', 'off');
    if (require !== true) return { steps: [`${where(s)}: the export does not show RequireClientAuth for it${vc ? `; it validates with ${vc}` : ''}`], settings: [] };
    return {
      steps: [`${where(s)}: RequireClientAuth is on, so a client that sends no certificate is refused${vc ? `; client certificates are validated with ${vc}` : ''}. The client must send a certificate those credentials accept; switching RequireClientAuth off instead is a security decision`],
      settings: [setting(p, 'RequireClientAuth', 'on'), ...(ref ? [setting(p, 'Valcred', ref.name)] : [])],
    };
  }
  // An expired or misnamed backend certificate is the backend's to fix: no client profile setting helps.
  if (cause === 'server-cert-expired' || cause === 'server-cert-hostname-mismatch') return undefined;
  if (!ref) return { steps: [`${where(s)}: the export shows no validation credentials (Valcred) for it`], settings: [] };
  const peer = s.profile.class === 'SSLClientProfile' ? "the backend's certificate" : 'client certificates';
  const fix = ref.object ? valcredFix(cause, ref.object) : '';
  return { steps: [`${where(s)} validates ${peer} with ${vc}. ${fix}`.trim()], settings: [setting(p, 'Valcred', ref.name)] };
}

/** The profile presents a certificate: its CryptoIdentCred and the certificates in it. */
function identificationAdvice(cause: CauseId, s: Subject): ExportAdvice | undefined {
  const { profile: p, observation: o } = s;
  const ref = referenced(o, p, 'CryptoIdentCred');
  if (!ref) {
    const why = cause === 'client-cert-missing' ? ': DataPower presents no certificate to the peer. Give it identification credentials the peer accepts' : '';
    return { steps: [`${where(s)}: the export shows no identification credentials (Idcred) for it${why}`], settings: [] };
  }
  const certs = ref.object ? certificateNames(ref.object).map((n) => describeCertificate(o, ref.object as ExportTlsObject, n)) : [];
  const base = `${where(s)} presents CryptoIdentCred '${ref.name}'${certs.length > 0 ? ` (certificates: ${certs.join(', ')})` : ''}`;
  const fixes: Partial<Record<CauseId, string>> = {
    'server-cert-untrusted': 'The client does not trust its issuer: give the client that CA, or replace the certificate with one from a CA the clients trust; an intermediate CA belongs in the same identification credentials',
    'server-chain-incomplete': `Add the intermediate CA certificate(s) to '${ref.name}' so that DataPower sends the whole chain`,
    'server-cert-expired': `Renew the certificate, upload the new file and point its CryptoCertificate at it${ignoresExpiration(o, ref.object) ? ' (IgnoreExpiration is on: DataPower loads it anyway, clients still refuse it)' : ''}`,
    'server-cert-hostname-mismatch': 'Its certificate must name the host the clients use (subjectAltName): reissue it',
    'client-cert-untrusted': 'The peer does not trust this certificate: it must trust its issuer, or the certificate must be replaced by one it trusts',
    'client-cert-expired': `Renew the certificate in '${ref.name}' and point its CryptoCertificate at the new file`,
    'client-cert-missing': 'Check that the peer accepts this certificate and that the profile is the one the connection uses',
  };
  return { steps: [`${base}. ${fixes[cause] ?? ''}`.trim()], settings: [setting(p, 'Idcred', ref.name)] };
}

function valcredFix(cause: CauseId, v: ExportTlsObject): string {
  const mode = v.settings.CertValidationMode;
  const crl = v.settings.RequireCRL === 'on' ? ' RequireCRL is on: a CRL that cannot be fetched fails validation too ("unable to get certificate CRL").' : '';
  if (cause === 'server-chain-incomplete') return `The backend must send its intermediate CA certificates; adding the intermediate to '${v.name}' also works.${crl}`;
  if (cause === 'client-cert-expired') return `The certificate is out of its validity period: its owner must renew it; '${v.name}' needs no change unless it lists that very certificate.${crl}`;
  const what = mode === 'legacy' ? "In legacy mode the peer's own certificate or its immediate issuer must be listed" : mode === 'pkix' ? 'In pkix mode the peer chain must lead to a CA listed there' : 'The peer chain must lead to a certificate listed there';
  return `${what}: add the issuing CA${mode === 'legacy' ? ' (or the certificate itself)' : ''} to '${v.name}', or issue the certificate from a listed CA.${crl}`;
}

function describeValcred(o: ExportObservation, v: ExportTlsObject): string {
  const certs = certificateNames(v).map((n) => describeCertificate(o, v, n));
  const mode = v.settings.CertValidationMode ? `CertValidationMode ${v.settings.CertValidationMode}; ` : '';
  return `${mode}certificates: ${certs.join(', ') || 'none'}`;
}

function certificateNames(holder: ExportTlsObject): string[] {
  return holder.references.filter((r) => r.class === 'CryptoCertificate').map((r) => r.name);
}

function describeCertificate(o: ExportObservation, holder: ExportTlsObject, name: string): string {
  const file = o.objects.find((x) => x.class === 'CryptoCertificate' && x.name === name && x.domain === holder.domain)?.settings.Filename;
  return file ? `${name} = ${file}` : name;
}

function ignoresExpiration(o: ExportObservation, idcred: ExportTlsObject | undefined): boolean {
  if (!idcred) return false;
  return certificateNames(idcred).some((n) => o.objects.find((x) => x.class === 'CryptoCertificate' && x.name === n && x.domain === idcred.domain)?.settings.IgnoreExpiration === 'on');
}

/** One clause per candidate profile: what matters for this cause. */
function brief(o: ExportObservation, p: ExportTlsObject, cause: CauseId): string {
  if (cause === 'no-shared-cipher') return `${p.ciphers?.length ?? 0} cipher(s)`;
  if (CLIENT_CERT_CAUSES.includes(cause)) return `RequireClientAuth ${onOff(p.clientAuth?.require)}, Valcred ${referenced(o, p, 'CryptoValCred')?.name ?? 'none'}`;
  if (SERVER_CERT_CAUSES.includes(cause)) return `Idcred ${referenced(o, p, 'CryptoIdentCred')?.name ?? 'none'}`;
  return `Protocols ${protocolState(p)}`;
}

/** " on port 443, 8443" from the handlers that use the profile. */
function ports(o: ExportObservation, p: ExportTlsObject): string {
  const used = usersOf(o, p).flatMap((u) => (u.localPort ? [u.localPort] : []));
  return used.length > 0 ? ` on port ${used.join(', ')}` : '';
}

function onOff(value: boolean | null | undefined): string {
  return value === true ? 'on' : value === false ? 'off' : 'not shown';
}
