import type { Readable } from 'node:stream';
import type { Diagnoser, Diagnosis, ExportDiagnosis } from '../../rules/index.js';
import { TriageError } from '../errors.js';
import { DEFAULT_XML_LIMITS, isZip, looksLikeExportXml, MAX_EXPORT_XML_BYTES, MAX_EXPORT_ZIP_BYTES, readExportXml, readExportZip, type XmlLimits } from './read.js';

// `tls-triage diagnose FILE` with a DataPower export: recognised from the first chunk by content
// (a zip, or XML whose root is <datapower-configuration>), then read whole, within a size cap.

/** How much of the first chunk is decoded to look for the root element. */
const SNIFF_CHARS = 64 * 1024;

/** The export's diagnosis, or undefined when the first chunk is not the start of an export. */
export async function diagnoseExportInput(head: Buffer, source: Readable, diagnoser: Diagnoser, name: string, limits: XmlLimits = DEFAULT_XML_LIMITS): Promise<{ diagnosis: Diagnosis; problems: readonly string[] } | undefined> {
  if (isZip(head)) {
    const bytes = await readAll(source, head, MAX_EXPORT_ZIP_BYTES, name);
    return finish(await diagnoser.diagnoseExport(await readExportZip(bytes, name, limits)));
  }
  const start = new TextDecoder('utf-8', { fatal: false }).decode(head.subarray(0, SNIFF_CHARS));
  if (!looksLikeExportXml(start)) return undefined;
  const bytes = await readAll(source, head, MAX_EXPORT_XML_BYTES, name);
  return finish(await diagnoser.diagnoseExport(await readExportXml(bytes, name, limits)));
}

/** What could not be read in the export is said on standard error, as certificate problems are. */
function finish(diagnosis: ExportDiagnosis): { diagnosis: Diagnosis; problems: readonly string[] } {
  return { diagnosis, problems: diagnosis.domainExport.notes };
}

async function readAll(source: Readable, head: Buffer, limit: number, name: string): Promise<Buffer> {
  const chunks: Buffer[] = [head];
  let size = head.length;
  for await (const chunk of source) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      source.destroy();
      throw new TriageError('INPUT_TOO_LARGE', `${name} is over the ${limit}-byte limit for a DataPower domain export`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
