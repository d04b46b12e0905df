import type { ExportObservation, MustGather } from '../../rules/index.js';
import { inspectExport, looksLikeExportXml, type ExportInspection, type XmlLimits } from './read.js';

// Exports as chat evidence (bot/evidence.ts): found in a paste or a text upload even with words
// around the XML ("here is the export: <?xml ..."), and what MustGather items they provide.

const START = /<\?xml[\s?]|<datapower-configuration[\s>]/;
const END = '</datapower-configuration>';

/** Undefined when the text holds no DataPower export (the common case: a log or a question). */
export async function exportFromText(text: string, name: string, limits?: XmlLimits): Promise<ExportInspection | undefined> {
  const start = START.exec(text)?.index;
  if (start === undefined) return undefined;
  const end = text.lastIndexOf(END);
  const xml = text.slice(start, end > start ? end + END.length : undefined);
  if (!looksLikeExportXml(xml)) return undefined;
  return inspectExport({ text: xml }, name, limits);
}

export function exportFromZip(bytes: Uint8Array, name: string, limits?: XmlLimits): Promise<ExportInspection> {
  return inspectExport({ zip: bytes }, name, limits);
}

/** The domain export item, and the firmware version when export-details carries it. */
export function exportGathered(mustGather: MustGather, observation: ExportObservation): string[] {
  const items = mustGather.fromFile('datapower-export');
  if (observation.firmware && mustGather.items.some((i) => i.id === 'firmware-version')) items.push('firmware-version');
  return [...new Set(items)];
}
