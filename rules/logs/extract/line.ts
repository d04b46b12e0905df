import { alertSignal, extractAlerts } from './alerts.js';
import { unwrapLine } from './unwrap.js';
import { dataPowerContext, parseDataPowerHeader } from './datapower.js';
import { apacheContext, nginxContext } from './web-servers.js';
import { PATTERN_WINDOW, type ScanRules } from '../scan-rules.js';
import type { LineContext, LineHit } from '../../types.js';
import type { CAPTURE_NAMES } from '../../engine/schema.js';

type CaptureName = (typeof CAPTURE_NAMES)[number];

// Signature indexes by literal id, built once per rule set: a hit line looks only at the signatures
// whose literals it holds (a few of ~600), in catalog order, since the first one to name a vantage
// or a source wins.
const BY_LITERAL = new WeakMap<ScanRules['signatures'], readonly (readonly number[])[]>();

function candidateSignatures(signatures: ScanRules['signatures'], present: ReadonlySet<number>): number[] {
  let byLiteral = BY_LITERAL.get(signatures);
  if (!byLiteral) {
    const built: number[][] = [];
    signatures.forEach((signature, index) => {
      for (const id of signature.literalIds) (built[id] ??= []).push(index);
    });
    byLiteral = built;
    BY_LITERAL.set(signatures, byLiteral);
  }
  const found = new Set<number>();
  for (const id of present) for (const index of byLiteral[id] ?? []) found.add(index);
  return [...found].sort((a, b) => a - b);
}

/**
 * Everything one line says: which signals it carries and what it tells about its connection.
 * Returns undefined for a line that matches no signature (the common case in a big log).
 */
export function analyseLine(text: string, line: number, rules: ScanRules): LineHit | undefined {
  const window = unwrapLine(text.length > PATTERN_WINDOW ? text.slice(0, PATTERN_WINDOW) : text);
  const signals: string[] = [];
  const context: LineContext = headerContext(window);
  let signatureVantage: 'server' | 'client' | undefined;
  let causal = false;

  const present = rules.matcher.literalsIn(text);
  for (const index of candidateSignatures(rules.signatures, present)) {
    const signature = rules.signatures[index] as ScanRules['signatures'][number];
    let groups: Record<string, string | undefined> | undefined;
    if (signature.regex) {
      const match = signature.regex.exec(window);
      if (!match) continue;
      groups = match.groups;
    }
    if (signature.captures) groups = { ...signature.captures.exec(window)?.groups, ...groups };
    if (!signals.includes(signature.signal)) signals.push(signature.signal);
    if (signature.role === 'cause') causal = true;
    if (signature.vantage && !signatureVantage) signatureVantage = signature.vantage;
    if (signature.source && !context.source) context.source = signature.source;
    if (groups) mergeCaptures(context, groups);
  }
  if (rules.alertLiteralIds.some((id) => present.has(id))) {
    for (const alert of extractAlerts(window)) {
      const signal = alertSignal(alert);
      if (!signals.includes(signal)) signals.push(signal);
      causal = true;
    }
  }
  if (signals.length === 0) return undefined;
  // The object type of a DataPower line (or nginx's upstream wording) is stronger evidence of the
  // side than a signature's guess, so it is kept when both speak.
  if (!context.vantage && signatureVantage) context.vantage = signatureVantage;
  return { line, text, signals, causal, context };
}

function headerContext(text: string): LineContext {
  if (text.includes('[') || text.includes('0x')) {
    const header = parseDataPowerHeader(text);
    if (header) return dataPowerContext(header);
  }
  return nginxContext(text) ?? apacheContext(text) ?? {};
}

function mergeCaptures(context: LineContext, groups: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(groups) as [CaptureName, string | undefined][]) {
    if (!value || context[name]) continue;
    // The line is its own string (decoded from its bytes in scan.ts), so a slice of it pins no chunk.
    context[name] = name === 'connection' ? `captured:${value}` : value;
  }
}
