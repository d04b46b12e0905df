import { EXPORT_PROTOCOLS, TLS_OBJECT_CLASSES, type ClientAuthSettings, type ExportObservation, type ExportProtocol, type ExportReference, type ExportReferrer, type ExportTlsObject, type TlsObjectClass } from '../../rules/index.js';
import type { XmlElement } from './xml.js';

// From the parsed export to the observation the rules read. Only element names seen in public
// DataPower material are interpreted (shared/reference/datapower-export-format.md); references
// are read generically (`<X class="Class">name</X>`), so an identification credential's
// certificates are found by their class even though its child element names were not seen.

/** A domain with this many TLS objects and handlers is far past any real one: the rest is left out. */
const MAX_OBJECTS = 5_000;
const DETAIL_FIELDS = ['description', 'user', 'domain', 'comment', 'product-id', 'product', 'display-model', 'device-name'];
/** Documented scalar settings kept as written. */
const SETTINGS = [
  'Caching', 'CacheTimeout', 'CacheSize', 'SSLOptions', 'Compression', 'AllowLegacyRenegotiation', 'PreferServerCiphers',
  'CertValidationMode', 'UseCRL', 'RequireCRL', 'CRLDPHandling', 'InitialPolicySet', 'ExplicitPolicy', 'CheckDates',
  'Filename', 'IgnoreExpiration',
];
const FIRMWARE = /^(?:IDG|XI5[02]|XG45|XB6[02]|XC10|XE82|XS40|XA35|XM70)\.\d{1,4}\.\d{1,3}\.\d{1,3}\.\d{1,3}/;
const CLASSES: ReadonlySet<string> = new Set(TLS_OBJECT_CLASSES);

export function observeExport(root: XmlElement, name: string, format: ExportObservation['format']): ExportObservation {
  const notes: string[] = [];
  const detailsElement = root.children.find((c) => c.tag === 'export-details');
  const details: Record<string, string> = {};
  for (const field of DETAIL_FIELDS) {
    const value = detailsElement?.children.find((c) => c.tag === field)?.text;
    if (value) details[field] = value;
  }
  const objects: ExportTlsObject[] = [];
  const referrers: ExportReferrer[] = [];
  const domains: string[] = [];
  for (const configuration of root.children.filter((c) => c.tag === 'configuration')) {
    const domain = configuration.attrs.get('domain') ?? details.domain ?? 'default';
    if (!configuration.attrs.has('domain')) notes.push(`a <configuration> element names no domain: taken as ${domain}`);
    if (!domains.includes(domain)) domains.push(domain);
    for (const element of configuration.children) {
      const objectName = element.attrs.get('name');
      if (objectName === undefined) continue;
      if (objects.length + referrers.length >= MAX_OBJECTS) {
        notes.push(`more than ${MAX_OBJECTS} TLS objects and handlers: the rest of the export was not read`);
        break;
      }
      if (CLASSES.has(element.tag)) objects.push(tlsObject(element, element.tag as TlsObjectClass, objectName, domain, notes));
      else {
        const references = referencesOf(element).filter((r) => CLASSES.has(r.class));
        if (references.length > 0) referrers.push(referrer(element, objectName, domain, references));
      }
    }
  }
  return {
    name,
    format,
    domain: details.domain ?? domains[0] ?? null,
    domains,
    firmware: firmwareOf(detailsElement),
    details,
    objects,
    referrers,
    notes: [...new Set(notes)],
  };
}

function tlsObject(element: XmlElement, cls: TlsObjectClass, name: string, domain: string, notes: string[]): ExportTlsObject {
  const child = (tag: string): XmlElement | undefined => element.children.find((c) => c.tag === tag);
  const summary = child('UserSummary')?.text;
  const protocolsElement = child('Protocols');
  let protocols: Partial<Record<ExportProtocol, boolean>> | null = null;
  if (protocolsElement) {
    const read: Partial<Record<ExportProtocol, boolean>> = {};
    for (const p of protocolsElement.children) {
      if (!(EXPORT_PROTOCOLS as readonly string[]).includes(p.tag)) continue;
      const value = onOff(p.text);
      if (value === null) notes.push(`${cls} '${name}': Protocols > ${p.tag} is "${p.text}", neither on nor off`);
      else read[p.tag as ExportProtocol] = value;
    }
    protocols = read;
  }
  const ciphers = element.children.filter((c) => c.tag === 'Ciphers' && c.text !== '').map((c) => c.text);
  const auth = (tag: string): boolean | null => onOff(child(tag)?.text);
  const clientAuth: ClientAuthSettings = { request: auth('RequestClientAuth'), require: auth('RequireClientAuth'), validate: auth('ValidateClientCert'), sendCaList: auth('SendClientAuthCAList') };
  const settings: Record<string, string> = {};
  for (const tag of SETTINGS) {
    const value = child(tag);
    if (value && value.text !== '' && value.children.length === 0) settings[tag] = value.text;
  }
  const curves = element.children.filter((c) => c.tag === 'EllipticCurves' && c.text !== '').map((c) => c.text);
  if (curves.length > 0) settings.EllipticCurves = curves.join(', ');
  return {
    class: cls,
    name,
    domain,
    adminState: adminStateOf(element),
    ...(summary ? { summary } : {}),
    protocols,
    ciphers: ciphers.length > 0 ? ciphers : null,
    clientAuth: Object.values(clientAuth).some((v) => v !== null) ? clientAuth : null,
    references: referencesOf(element),
    settings,
  };
}

function referrer(element: XmlElement, name: string, domain: string, references: ExportReference[]): ExportReferrer {
  const text = (tag: string): string | undefined => element.children.find((c) => c.tag === tag)?.text || undefined;
  const localAddress = text('LocalAddress');
  const localPort = text('LocalPort');
  const configType = text('SSLServerConfigType');
  return {
    class: element.tag,
    name,
    domain,
    adminState: adminStateOf(element),
    ...(localAddress ? { localAddress } : {}),
    ...(localPort ? { localPort } : {}),
    ...(configType ? { configType } : {}),
    references,
  };
}

function referencesOf(element: XmlElement): ExportReference[] {
  return element.children.flatMap((c) => {
    const cls = c.attrs.get('class');
    return cls && c.text !== '' ? [{ element: c.tag, class: cls, name: c.text }] : [];
  });
}

function adminStateOf(element: XmlElement): ExportTlsObject['adminState'] {
  const value = element.children.find((c) => c.tag === 'mAdminState')?.text;
  return value === 'enabled' || value === 'disabled' ? value : null;
}

function onOff(value: string | undefined): boolean | null {
  return value === 'on' ? true : value === 'off' ? false : null;
}

/**
 * The reference names the field only as "firmware version": take a child of export-details whose
 * name says firmware, else any value shaped like a firmware version (IDG.10.0.1.0).
 */
function firmwareOf(details: XmlElement | undefined): string | null {
  if (!details) return null;
  const named = details.children.find((c) => /firmware/i.test(c.tag) && c.text !== '');
  if (named) return named.text;
  return details.children.find((c) => FIRMWARE.test(c.text))?.text ?? null;
}
