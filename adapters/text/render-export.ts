import { enabledProtocols, type Diagnosis, type ExportDiagnosis, type ExportObservation, type ExportTlsObject } from '../../rules/index.js';

// Text rendering of a DataPower export: one table row per SSL profile (what a client meets:
// protocols, ciphers, client authentication, credentials), then the credentials and the handlers
// that use the profiles. The CLI and chat replies put it above the diagnosis in its usual form.

const MAX_ROWS = 40;
const CIPHERS_SHOWN = 8;

export function hasDomainExport(d: Diagnosis): d is ExportDiagnosis {
  return 'domainExport' in d && typeof (d as { domainExport?: unknown }).domainExport === 'object';
}

export function renderExportDetails(d: ExportDiagnosis): string {
  const o = d.domainExport;
  const profiles = o.objects.filter((x) => x.class.startsWith('SSL') || x.class === 'CryptoProfile');
  const credentials = o.objects.filter((x) => !profiles.includes(x));
  const head = [`DataPower export ${o.name} (${o.format}): domain ${o.domain ?? '(not named)'}`, `firmware ${o.firmware ?? '(not in the export)'}`, `${profiles.length} profile(s)`, `${credentials.length} credential/certificate object(s)`];
  const out = [head.join('; ')];
  for (const note of o.notes) out.push(`  note: ${note}`);
  if (profiles.length > 0) out.push('', ...table(o, profiles.slice(0, MAX_ROWS)));
  if (profiles.length > MAX_ROWS) out.push(`  ... and ${profiles.length - MAX_ROWS} more profile(s)`);
  const lines = [...profiles.slice(0, MAX_ROWS).flatMap((p) => cipherLine(p)), ...credentials.slice(0, MAX_ROWS).map((c) => credentialLine(o, c)), ...o.referrers.slice(0, MAX_ROWS).map(referrerLine)];
  if (lines.length > 0) out.push('', ...lines);
  return out.join('\n');
}

function table(o: ExportObservation, profiles: readonly ExportTlsObject[]): string[] {
  const multiDomain = o.domains.length > 1;
  const header = [...(multiDomain ? ['domain'] : []), 'profile', 'state', 'protocols on', 'ciphers', 'client auth', 'idcred', 'valcred'];
  const rows = profiles.map((p) => [
    ...(multiDomain ? [p.domain] : []),
    `${p.class} ${p.name}`,
    p.adminState ?? '(default)',
    p.protocols === null ? '(not shown)' : enabledProtocols(p).join(', ') || 'NONE',
    p.ciphers === null ? '-' : String(p.ciphers.length),
    clientAuth(p),
    refName(p, 'CryptoIdentCred'),
    refName(p, 'CryptoValCred'),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => `  ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')}`.trimEnd();
  return [line(header), ...rows.map(line)];
}

function clientAuth(p: ExportTlsObject): string {
  const a = p.clientAuth;
  if (!a) return '-';
  if (a.require === true) return 'required';
  if (a.request === true) return 'requested';
  return a.request === false || a.require === false ? 'off' : '-';
}

function refName(p: ExportTlsObject, cls: string): string {
  return p.references.find((r) => r.class === cls)?.name ?? '-';
}

function cipherLine(p: ExportTlsObject): string[] {
  if (!p.ciphers || p.ciphers.length === 0) return [];
  const more = p.ciphers.length > CIPHERS_SHOWN ? `, ... (${p.ciphers.length - CIPHERS_SHOWN} more)` : '';
  return [`  ${p.class} ${p.name} ciphers: ${p.ciphers.slice(0, CIPHERS_SHOWN).join(', ')}${more}`];
}

function credentialLine(o: ExportObservation, c: ExportTlsObject): string {
  const certificates = c.references.filter((r) => r.class === 'CryptoCertificate').map((r) => {
    const file = o.objects.find((x) => x.class === 'CryptoCertificate' && x.name === r.name && x.domain === c.domain)?.settings.Filename;
    return file ? `${r.name} (${file})` : r.name;
  });
  const parts = [
    c.adminState === 'disabled' ? 'DISABLED' : undefined,
    c.settings.CertValidationMode ? `CertValidationMode ${c.settings.CertValidationMode}` : undefined,
    c.settings.Filename ? `file ${c.settings.Filename}` : undefined,
    c.settings.IgnoreExpiration === 'on' ? 'IgnoreExpiration on' : undefined,
    certificates.length > 0 ? `certificates: ${certificates.join(', ')}` : undefined,
  ].filter(Boolean);
  return `  ${c.class} ${c.name}${parts.length > 0 ? `: ${parts.join('; ')}` : ''}`;
}

function referrerLine(r: ExportObservation['referrers'][number]): string {
  const at = [r.localAddress, r.localPort].filter(Boolean).join(':');
  const uses = r.references.map((x) => `${x.class} ${x.name}`).join(', ');
  return `  ${r.class} ${r.name}${at ? ` (${at})` : ''}${r.adminState === 'disabled' ? ' DISABLED' : ''} uses ${uses}`;
}
