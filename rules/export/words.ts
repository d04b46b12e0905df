import { enabledProtocols, EXPORT_PROTOCOLS, type ExportObservation, type ExportProtocol, type ExportSetting, type ExportTlsObject } from './signals.js';

// Wording shared by the export advice: how a profile is named in a step, and small lists.

export interface ExportAdvice {
  /** Next steps naming the exact setting, first in the reply. */
  readonly steps: string[];
  readonly settings: ExportSetting[];
}

/** The profile a step is about, as the step names it. */
export interface Subject {
  readonly profile: ExportTlsObject;
  readonly observation: ExportObservation;
  /** How it was found when the log did not name it. */
  readonly how?: string;
}

/** "In domain X, SSLServerProfile 'P'" plus how it was found and whether it is disabled. */
export function where(s: Subject): string {
  const p = s.profile;
  const notes = [s.how, p.adminState === 'disabled' ? 'mAdminState is disabled' : undefined].filter(Boolean);
  return `In domain ${p.domain}, ${p.class} '${p.name}'${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
}

export function setting(p: ExportTlsObject, name: string, value: string, agrees = true): ExportSetting {
  return { domain: p.domain, class: p.class, name: p.name, setting: name, value, agrees };
}

/** "a", "a and b", "a, b and c". */
export function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export function isAre(items: readonly unknown[]): string {
  return items.length === 1 ? 'is' : 'are';
}

/** "on: TLSv1d1, TLSv1d2; off: SSLv3, TLSv1d0" as the export has them. */
export function protocolState(p: ExportTlsObject): string {
  if (p.protocols === null) return 'no Protocols in the export';
  const on = enabledProtocols(p);
  const off = EXPORT_PROTOCOLS.filter((x) => p.protocols?.[x] === false);
  return `on: ${on.join(', ') || 'none'}${off.length > 0 ? `; off: ${off.join(', ')}` : ''}`;
}

/** Switches the export shows explicitly off (absent ones: the firmware has no such switch). */
export function explicitlyOff(p: ExportTlsObject, among: readonly ExportProtocol[]): ExportProtocol[] {
  return among.filter((x) => p.protocols?.[x] === false);
}

/** A step for a profile whose settings contradict the log: say so rather than invent a fix. */
export function contradiction(s: Subject, what: string, name: string, value: string): ExportAdvice {
  return {
    steps: [`${where(s)}: ${what}, so this configuration would not fail that way. The failing connection used another profile, or the configuration changed after the failure: check which profile the handler uses, or export the domain again`],
    settings: [setting(s.profile, name, value, false)],
  };
}
