import type { ExportObservation } from '../../rules/index.js';
import { TriageError } from '../errors.js';
import { observeExport } from './observe.js';
import { DEFAULT_XML_LIMITS, MAX_EXPORT_XML_BYTES, parseExportXml, type XmlLimits, type XmlMeter } from './xml.js';
import { listZip, readZipMember } from './zip.js';

// The entry points for "is this a DataPower export, and what does it configure": the XML itself
// (an .xml upload, a paste, a CLI file) or a zip holding export.xml. Errors are TriageErrors whose
// message names the input and what is wrong with it.

/** An export zip also holds the domain's files; the zip itself may be this large. */
export const MAX_EXPORT_ZIP_BYTES = 64 * 1024 * 1024;

export { DEFAULT_XML_LIMITS, looksLikeExportXml, MAX_EXPORT_XML_BYTES, type XmlLimits, type XmlMeter } from './xml.js';

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

export async function readExportXml(text: string | Buffer, name: string, limits: XmlLimits = DEFAULT_XML_LIMITS, meter?: XmlMeter): Promise<ExportObservation> {
  return observeExport(await parseExportXml(text, name, limits, meter), name, 'xml');
}

export async function readExportZip(bytes: Uint8Array, name: string, limits: XmlLimits = DEFAULT_XML_LIMITS, meter?: XmlMeter): Promise<ExportObservation> {
  if (bytes.length > MAX_EXPORT_ZIP_BYTES) throw new TriageError('INPUT_TOO_LARGE', `${name} is ${bytes.length} bytes, over the ${MAX_EXPORT_ZIP_BYTES}-byte limit for a domain export zip`);
  const zip = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const members = listZip(zip, name);
  // export.xml at the top, as DataPower writes it; else the shallowest one in a folder.
  const candidates = members.filter((m) => m.name === 'export.xml' || m.name.endsWith('/export.xml')).sort((a, b) => a.name.length - b.name.length);
  const member = candidates[0];
  if (!member) {
    const held = members.slice(0, 5).map((m) => m.name).join(', ');
    throw new TriageError('INPUT_UNREADABLE', `${name} is a zip without export.xml, so not a DataPower domain export (it holds ${held || 'nothing'}${members.length > 5 ? ', ...' : ''})`);
  }
  const xml = await readZipMember(zip, member, name, { maxEntryBytes: MAX_EXPORT_XML_BYTES });
  return observeExport(await parseExportXml(xml, `${name}: ${member.name}`, limits, meter), name, 'zip');
}

export type ExportInspection = { readonly observation: ExportObservation } | { readonly problem: string };

/** For chat evidence: never throws, a damaged upload becomes a sentence. */
export async function inspectExport(input: { readonly text: string } | { readonly zip: Uint8Array }, name: string, limits: XmlLimits = DEFAULT_XML_LIMITS): Promise<ExportInspection> {
  try {
    return { observation: 'text' in input ? await readExportXml(input.text, name, limits) : await readExportZip(input.zip, name, limits) };
  } catch (error) {
    if (error instanceof TriageError) return { problem: error.message };
    return { problem: `${name}: the export could not be read: ${(error as Error).message}` };
  }
}
