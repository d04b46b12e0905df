import type { Diagnosis } from '../types.js';

// A DataPower domain export is evidence of a different sort: it shows how the TLS objects are
// configured, never a handshake. bot/export reads the XML (or the zip holding it) and reduces it to
// this observation. Alone it yields warnings (a front-side profile that still accepts TLS 1.0) and a
// summary; next to log lines it names the exact profile setting behind the logged failure.
// Element names follow shared/reference/datapower-export-format.md (docs/domain-export.md).

/** DataPower's own names for the protocol switches under a profile's <Protocols>. */
export const EXPORT_PROTOCOLS = ['SSLv3', 'TLSv1d0', 'TLSv1d1', 'TLSv1d2', 'TLSv1d3'] as const;
export type ExportProtocol = (typeof EXPORT_PROTOCOLS)[number];

export const PROTOCOL_LABELS: Readonly<Record<ExportProtocol, string>> = {
  SSLv3: 'SSL 3.0',
  TLSv1d0: 'TLS 1.0',
  TLSv1d1: 'TLS 1.1',
  TLSv1d2: 'TLS 1.2',
  TLSv1d3: 'TLS 1.3',
};

/** Object classes read from an export. The first four terminate or open TLS connections. */
export const TLS_OBJECT_CLASSES = [
  'SSLServerProfile', 'SSLSNIServerProfile', 'SSLProxyProfile', 'SSLClientProfile',
  'CryptoProfile', 'CryptoIdentCred', 'CryptoValCred', 'CryptoCertificate',
] as const;
export type TlsObjectClass = (typeof TLS_OBJECT_CLASSES)[number];

/** Profiles with which DataPower is the TLS server (front side). SSLProxyProfile may be either. */
export const SERVER_PROFILE_CLASSES: readonly TlsObjectClass[] = ['SSLServerProfile', 'SSLSNIServerProfile', 'SSLProxyProfile'];
export const CLIENT_PROFILE_CLASSES: readonly TlsObjectClass[] = ['SSLClientProfile', 'SSLProxyProfile'];

/** `<Element class="OtherClass">otherName</Element>`: how one object names another. */
export interface ExportReference {
  readonly element: string;
  readonly class: string;
  readonly name: string;
}

/** RequestClientAuth, RequireClientAuth, ValidateClientCert, SendClientAuthCAList; null: not in the export. */
export interface ClientAuthSettings {
  readonly request: boolean | null;
  readonly require: boolean | null;
  readonly validate: boolean | null;
  readonly sendCaList: boolean | null;
}

export interface ExportTlsObject {
  readonly class: TlsObjectClass;
  readonly name: string;
  readonly domain: string;
  /** mAdminState; null when the export does not say (then DataPower's default, enabled, applies). */
  readonly adminState: 'enabled' | 'disabled' | null;
  /** UserSummary, when set. */
  readonly summary?: string;
  /** Each switch under <Protocols> as written; null when the object has no <Protocols>. */
  readonly protocols: Partial<Record<ExportProtocol, boolean>> | null;
  /** Repeated <Ciphers>, in order; null when there are none. */
  readonly ciphers: readonly string[] | null;
  /** Null when none of the four client-authentication settings is in the export. */
  readonly clientAuth: ClientAuthSettings | null;
  readonly references: readonly ExportReference[];
  /** Other documented scalar settings as written (CertValidationMode, Filename, IgnoreExpiration...). */
  readonly settings: Readonly<Record<string, string>>;
}

/** A handler or service object that references a TLS object (HTTPSSourceProtocolHandler...). */
export interface ExportReferrer {
  readonly class: string;
  readonly name: string;
  readonly domain: string;
  readonly adminState: 'enabled' | 'disabled' | null;
  readonly localAddress?: string;
  readonly localPort?: string;
  /** SSLServerConfigType: server, sni or proxy. */
  readonly configType?: string;
  /** Only the references to TLS objects. */
  readonly references: readonly ExportReference[];
}

export interface ExportObservation {
  /** File name (the zip's for a zip), or "paste". */
  readonly name: string;
  readonly format: 'xml' | 'zip';
  /** export-details/domain, else the first <configuration domain="...">; null when neither. */
  readonly domain: string | null;
  /** Every <configuration domain="..."> in order. */
  readonly domains: readonly string[];
  /** The firmware version from export-details, when present. */
  readonly firmware: string | null;
  /** Documented export-details fields as written (product, device-name, user, ...). */
  readonly details: Readonly<Record<string, string>>;
  readonly objects: readonly ExportTlsObject[];
  readonly referrers: readonly ExportReferrer[];
  /** What was left out or could not be read (too many objects, unknown switch values). */
  readonly notes: readonly string[];
}

/** Every signal an export can emit. They describe configuration, never a failure: role context. */
export const EXPORT_SIGNALS = ['export.server-legacy-protocol', 'export.server-sslv3'] as const;

const LEGACY: readonly ExportProtocol[] = ['SSLv3', 'TLSv1d0', 'TLSv1d1'];

export function isActive(o: { readonly adminState: ExportTlsObject['adminState'] }): boolean {
  return o.adminState !== 'disabled';
}

export function enabledProtocols(o: ExportTlsObject): ExportProtocol[] {
  return EXPORT_PROTOCOLS.filter((p) => o.protocols?.[p] === true);
}

/** Active front-side profiles that still accept SSLv3, TLS 1.0 or TLS 1.1. */
export function legacyServerProfiles(o: ExportObservation): ExportTlsObject[] {
  return o.objects.filter((x) => SERVER_PROFILE_CLASSES.includes(x.class) && isActive(x) && LEGACY.some((p) => x.protocols?.[p] === true));
}

export function exportSignals(o: ExportObservation): string[] {
  const signals = new Set<(typeof EXPORT_SIGNALS)[number]>();
  const legacy = legacyServerProfiles(o);
  if (legacy.length > 0) signals.add('export.server-legacy-protocol');
  if (legacy.some((x) => x.protocols?.SSLv3 === true)) signals.add('export.server-sslv3');
  return [...signals].sort();
}

/** An export's diagnosis carries what was read, for the JSON output and the text rendering. */
export type ExportDiagnosis = Diagnosis & { domainExport: ExportObservation };

/** The exact setting a log failure and an export point to (project addition to the JSON). */
export interface ExportSetting {
  /** Evidence number of the export in its incident. */
  readonly document?: number;
  readonly domain: string;
  readonly class: string;
  readonly name: string;
  /** "Protocols > TLSv1d0", "Ciphers", "RequireClientAuth", "Valcred", "Idcred". */
  readonly setting: string;
  /** As the export has it: "off", "on", "3 ciphers", the referenced object's name. */
  readonly value: string;
  /** False when the export contradicts the log (the profile would have accepted that handshake). */
  readonly agrees: boolean;
}

/** A diagnosis sharpened by an export: the settings it names (the steps are in nextSteps). */
export type DiagnosisWithExport = Diagnosis & { exportSettings?: ExportSetting[] };
