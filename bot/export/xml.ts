import { TriageError } from '../errors.js';
import { readXml, type KeepElement, type XmlElement, type XmlLimits, type XmlMeter } from './xml-reader.js';
import { sourceOf } from './xml-source.js';

// XML of a DataPower export, read defensively: whatever is uploaded is untrusted. A DataPower
// export has no DTD, so any DOCTYPE or ENTITY declaration is refused where the reader meets it (no
// entity expansion, no billion laughs), the text has a size cap, the root must be
// <datapower-configuration>, and the reader (xml-reader.ts) bounds elements, attributes, depth and
// the length of values, and keeps only the part of the tree that observe.ts reads.

export type { XmlElement, XmlLimits, XmlMeter } from './xml-reader.js';

/** Domain exports with many services stay well below this; beyond it the input is refused. */
export const MAX_EXPORT_XML_BYTES = 32 * 1024 * 1024;

/** The defaults of input.xml (bot/config.ts): far above a real domain export, far below harm. */
export const DEFAULT_XML_LIMITS: XmlLimits = {
  maxElements: 200_000,
  maxAttributesPerElement: 64,
  maxAttributes: 400_000,
  maxDepth: 64,
  maxAttributeChars: 64 * 1024,
  maxTextChars: 8 * 1024 * 1024,
};

/**
 * What observe.ts reads: the root, its export-details and configuration children, and below those
 * objects, their settings and the settings' switches (Protocols > TLSv1d2): five levels.
 */
const KEEP_EXPORT: KeepElement = (tag, depth) => depth === 1 || (depth === 2 ? tag === 'configuration' || tag === 'export-details' : depth <= 5);

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

/** The prolog is looked for in this much of the start (its parts are bounded: 50 comments of 20 000 characters...). */
const HEAD_BYTES = 2 * 1024 * 1024;

/**
 * The <datapower-configuration> root element of a pasted text or of export.xml's bytes (never
 * decoded as a whole); throws a TriageError naming what is wrong or which limit was passed.
 */
export async function parseExportXml(given: string | Buffer, what: string, limits: XmlLimits = DEFAULT_XML_LIMITS, meter?: XmlMeter): Promise<XmlElement> {
  const input = withoutBom(given);
  if (input.length > MAX_EXPORT_XML_BYTES) {
    throw new TriageError('INPUT_TOO_LARGE', `${what} is ${input.length} ${typeof input === 'string' ? 'characters' : 'bytes'} of XML, over the ${MAX_EXPORT_XML_BYTES}-byte limit for a domain export`);
  }
  const source = sourceOf(input);
  const text = typeof input === 'string' ? input : input.toString('utf8', 0, Math.min(input.length, HEAD_BYTES));
  const prolog = PROLOG.exec(text)?.[0].length ?? 0;
  const root = ROOT.exec(text.slice(prolog))?.[1];
  if (root === undefined) throw new TriageError('INPUT_UNREADABLE', `${what} is not XML: it does not start with an element (a DataPower export starts with <datapower-configuration>)`);
  if (root !== 'datapower-configuration') {
    const soma = /(?:^|:)(?:Envelope|request)$/.test(root) ? ' (a SOMA request is not read: upload the domain export itself)' : '';
    throw new TriageError('INPUT_UNREADABLE', `${what} is XML but not a DataPower configuration export: its root element is <${root}>, not <datapower-configuration>${soma}`);
  }
  const top = await readXml(source, what, limits, KEEP_EXPORT, meter);
  if (top.tag !== 'datapower-configuration') throw new TriageError('INPUT_UNREADABLE', `${what} has no <datapower-configuration> element`);
  return top;
}

/** A byte order mark before the XML declaration is allowed, and not part of the document. */
function withoutBom(input: string | Buffer): string | Buffer {
  if (typeof input === 'string') return input.startsWith('\uFEFF') ? input.slice(1) : input;
  return input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf ? input.subarray(3) : input;
}
