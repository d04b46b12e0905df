import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { TriageError } from '../errors.js';

// XML of a DataPower export, parsed defensively: whatever is uploaded is untrusted. A DataPower
// export has no DTD, so any DOCTYPE or ENTITY declaration is refused before parsing (no entity
// expansion, no billion laughs), the parser itself runs with entity processing off, the text has a
// size cap, nesting is bounded, and the root must be <datapower-configuration>.

/** Domain exports with many services stay well below this; beyond it the input is refused. */
export const MAX_EXPORT_XML_BYTES = 32 * 1024 * 1024;
const MAX_DEPTH = 64;

export interface XmlElement {
  readonly tag: string;
  readonly attrs: ReadonlyMap<string, string>;
  readonly children: readonly XmlElement[];
  /** The element's own text, entity references of the five predefined entities decoded. */
  readonly text: string;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  htmlEntities: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: MAX_DEPTH,
});

/**
 * The prolog may hold an XML declaration, comments, processing instructions and a DOCTYPE, then the
 * root. A DOCTYPE is skipped only to recognise the file, so that parsing can refuse it by name.
 */
const PROLOG = /^\uFEFF?\s*(?:<\?xml[^>]{0,400}\?>\s*)?(?:(?:<!--[\s\S]{0,20000}?-->|<\?[\s\S]{0,2000}?\?>|<!DOCTYPE[^[>]{0,2000}(?:\[[\s\S]{0,100000}?\])?\s*>)\s*){0,50}/i;
const ROOT = /^<([A-Za-z_][\w.:-]{0,200})[\s/>]/;

/** True when the text starts like a DataPower export (used on a first chunk, by content not name). */
export function looksLikeExportXml(head: string): boolean {
  const prolog = PROLOG.exec(head)?.[0].length ?? 0;
  return ROOT.exec(head.slice(prolog))?.[1] === 'datapower-configuration';
}

/** The <datapower-configuration> root element; throws a TriageError naming what is wrong. */
export function parseExportXml(text: string, what: string): XmlElement {
  if (text.length > MAX_EXPORT_XML_BYTES) {
    throw new TriageError('INPUT_TOO_LARGE', `${what} is ${text.length} characters of XML, over the ${MAX_EXPORT_XML_BYTES}-byte limit for a domain export`);
  }
  if (/<!(?:DOCTYPE|ENTITY)/i.test(text)) {
    throw new TriageError('INPUT_UNREADABLE', `${what} declares a DOCTYPE or ENTITY; DataPower exports have none, and tls-triage does not process DTDs (entity expansion is refused)`);
  }
  const prolog = PROLOG.exec(text)?.[0].length ?? 0;
  const root = ROOT.exec(text.slice(prolog))?.[1];
  if (root === undefined) throw new TriageError('INPUT_UNREADABLE', `${what} is not XML: it does not start with an element (a DataPower export starts with <datapower-configuration>)`);
  if (root !== 'datapower-configuration') {
    const soma = /(?:^|:)(?:Envelope|request)$/.test(root) ? ' (a SOMA request is not read: upload the domain export itself)' : '';
    throw new TriageError('INPUT_UNREADABLE', `${what} is XML but not a DataPower configuration export: its root element is <${root}>, not <datapower-configuration>${soma}`);
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new TriageError('INPUT_UNREADABLE', `${what} is not well-formed XML (line ${valid.err.line}, column ${valid.err.col}): ${valid.err.msg}`);
  }
  let nodes: unknown;
  try {
    nodes = parser.parse(text);
  } catch (error) {
    throw new TriageError('INPUT_UNREADABLE', `${what} cannot be parsed as XML: ${(error as Error).message}`);
  }
  const top = Array.isArray(nodes) ? nodes.map(toElement).find((e) => e?.tag === 'datapower-configuration') : undefined;
  if (!top) throw new TriageError('INPUT_UNREADABLE', `${what} has no <datapower-configuration> element`);
  return top;
}

/** fast-xml-parser's ordered form: { tag: [children], ':@': {attrs} } or { '#text': value }. */
function toElement(node: unknown): XmlElement | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const record = node as Record<string, unknown>;
  const tag = Object.keys(record).find((k) => k !== ':@' && k !== '#text');
  if (tag === undefined) return undefined;
  const rawChildren = Array.isArray(record[tag]) ? (record[tag] as unknown[]) : [];
  const attrs = new Map<string, string>();
  const rawAttrs = record[':@'];
  if (typeof rawAttrs === 'object' && rawAttrs !== null) {
    for (const [k, v] of Object.entries(rawAttrs)) if (typeof v === 'string') attrs.set(k, decodeEntities(v));
  }
  const children: XmlElement[] = [];
  let text = '';
  for (const child of rawChildren) {
    const value = typeof child === 'object' && child !== null ? (child as Record<string, unknown>)['#text'] : undefined;
    if (value !== undefined) text += String(value);
    else {
      const element = toElement(child);
      if (element) children.push(element);
    }
  }
  return { tag, attrs, children, text: decodeEntities(text).trim() };
}

const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The predefined entities and character references only: nothing can grow or recurse. */
function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(lt|gt|amp|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});/g, (whole, ref: string) => {
    if (!ref.startsWith('#')) return NAMED[ref] ?? whole;
    const code = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
