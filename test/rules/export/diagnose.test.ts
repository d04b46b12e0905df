import { describe, expect, it } from 'vitest';
import { readExportXml } from '../../../bot/export/read.js';
import { combineWithExports, createDiagnoser, exportSignals, type DiagnosisWithExport, type ExportDiagnosis } from '../../../rules/index.js';
import { readFixture } from '../../helpers/fixtures.js';
import { oscWithProtocols, readExportFixture } from '../../bot/export/helpers.js';

// An export alone: no failure (a configuration shows none), a summary, and the legacy-protocol
// warning where a front-side profile still accepts SSLv3/TLS 1.0/TLS 1.1. In an incident it joins
// the log's diagnosis without ever outranking a failure.

const diagnoser = createDiagnoser();
const diagnoseFixture = async (file: string, xml = readExportFixture(file)): Promise<ExportDiagnosis> => diagnoser.diagnoseExport(await readExportXml(xml, file));

describe('an export on its own', () => {
  it('names no failure, summarises the front side and keeps what was read', async () => {
    const d = await diagnoseFixture('orders-multi-profile.xml');
    expect(d).toMatchObject({ cause: 'unknown', team: 'none', vantage: 'unknown', evidence: [], others: [], context: { source: 'datapower', domain: 'orders' } });
    expect(d.title).toBe('DataPower export of domain orders: 4 SSL profile(s) read, no failure in a configuration file');
    expect(d.explanation).toContain('Front-side profiles: Orders_Public (TLSv1d2, TLSv1d3); Orders_Partner (TLSv1d1, TLSv1d2).');
    expect(d.domainExport.objects).toHaveLength(6);
    // The firmware version is in this export: not asked for.
    expect(d.nextSteps).toHaveLength(1);
  });

  it('warns legacy-protocol-enabled for an active front-side profile with SSLv3 or TLS 1.0 only', async () => {
    const d = await diagnoseFixture('legacy-protocols.xml');
    expect(d.cause).toBe('unknown');
    expect(d.warnings).toEqual([
      {
        id: 'legacy-protocol-enabled',
        text: "In domain legacy_apps, front-side profiles still accept old protocols: SSLServerProfile 'Legacy_SSLServer' (SSLv3, TLSv1d0). SSLv3 is on in 'Legacy_SSLServer': switch Protocols > SSLv3 off (POODLE), and the TLS 1.0/1.1 switches once the clients are on TLS 1.2.",
      },
    ]);
    expect(d.nextSteps.at(-1)).toMatch(/^Add the firmware version/);
  });

  it('does not warn for a disabled profile, nor for a client profile, nor for TLS 1.2+ only', async () => {
    const modern = oscWithProtocols({ TLSv1d1: 'off' });
    expect((await diagnoseFixture('modern.xml', modern)).warnings).toEqual([]);
    const o = await readExportXml(readExportFixture('orders-multi-profile.xml'), 'o.xml');
    // Orders_Old (disabled) has TLSv1d0 on; only Orders_Partner's TLSv1d1 counts.
    expect(exportSignals(o)).toEqual(['export.server-legacy-protocol']);
    expect(exportSignals(await readExportXml(readExportFixture('legacy-protocols.xml'), 'l.xml'))).toEqual(['export.server-legacy-protocol', 'export.server-sslv3']);
  });

  it('lets an ops team rule file use the export signals', async () => {
    const ops = createDiagnoser([
      {
        name: 'ops/export.json',
        json: {
          family: 'ops-export',
          description: 'SSLv3 on the front side is an incident here',
          rules: [{ name: 'ops-sslv3', priority: 50, conditions: { all: [{ fact: 'signals', operator: 'contains', value: 'export.server-sslv3' }] }, event: { type: 'diagnosis', params: { cause: 'legacy-ssl', team: 'security', title: 'SSLv3 on in {domain}', explanation: 'policy', nextSteps: [] } } }],
        },
      },
    ]);
    const d = await ops.diagnoseExport(await readExportXml(readExportFixture('legacy-protocols.xml'), 'l.xml'));
    expect(d).toMatchObject({ cause: 'legacy-ssl', team: 'security', title: 'SSLv3 on in legacy_apps' });
  });
});

describe('exports in an incident diagnosis', () => {
  it('a failure keeps its cause; the export puts the exact setting first and records it', async () => {
    const log = await diagnoser.diagnoseText(readFixture('datapower/protocol-too-old-osmd-reconstructed.txt'));
    const osc = await diagnoseFixture('osc-pd-sslerror.xml');
    const d = combineWithExports(log, [{ id: 2, diagnosis: osc }]) as DiagnosisWithExport;
    expect(d).toMatchObject({ cause: 'protocol-too-old', team: 'client', redHerringPresent: true, evidence: log.evidence });
    expect(d.nextSteps[0]).toMatch(/^In domain OSC_PD_SSLError, SSLServerProfile 'SSLError_SSLServer': Protocols > TLSv1d0 is off/);
    expect(d.nextSteps.slice(1)).toEqual(log.nextSteps);
    expect(d.exportSettings).toEqual([expect.objectContaining({ setting: 'Protocols > TLSv1d0', document: 2 })]);
    expect(d.warnings.map((w) => w.id)).toContain('legacy-protocol-enabled');
    expect(d).not.toHaveProperty('domainExport');
  });

  it('the newest export that pins the profile wins over one of another domain', async () => {
    const log = await diagnoser.diagnoseText(readFixture('datapower/no-shared-cipher-osmd-reconstructed.txt'));
    const d = combineWithExports(log, [
      { id: 2, diagnosis: await diagnoseFixture('osc-pd-sslerror.xml') },
      { id: 3, diagnosis: await diagnoseFixture('orders-multi-profile.xml') },
    ]) as DiagnosisWithExport;
    expect(d.exportSettings?.[0]).toMatchObject({ setting: 'Ciphers', document: 2 });
  });

  it('without a failure the newest export speaks, quoted as evidence; the red herring stays the lead', async () => {
    const legacy = await diagnoseFixture('legacy-protocols.xml');
    const alone = combineWithExports(undefined, [{ id: 1, diagnosis: legacy }]);
    expect(alone).toMatchObject({ cause: 'unknown', evidence: [{ line: 0, document: 1, text: `export legacy-protocols.xml: ${legacy.title}` }], domainExport: { domain: 'legacy_apps' } });
    const herring = await diagnoser.diagnoseText(readFixture('datapower/red-herring-only-reconstructed.txt'));
    const withHerring = combineWithExports(herring, [{ id: 2, diagnosis: legacy }]);
    expect(withHerring).toMatchObject({ cause: 'red-herring-only', redHerringOnly: true, nextSteps: herring.nextSteps });
    expect(withHerring?.warnings.map((w) => w.id)).toEqual(['legacy-protocol-enabled']);
    expect(combineWithExports(herring, [])).toBe(herring);
  });
});
