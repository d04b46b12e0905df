import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { EXPORT_FIXTURES, exportZip, readExportFixture, tempDir } from '../../bot/export/helpers.js';

// `tls-triage diagnose FILE` (the built CLI: `npm run build` first) recognises a DataPower export by
// its content, XML or zip, and prints the same diagnosis JSON with what was read added.

const t = tempDir();
afterAll(() => t.cleanup());

describe('tls-triage diagnose EXPORT', () => {
  it('--json: the contract shape, cause unknown, the export summary and the warning', async () => {
    const r = await runCli(['diagnose', '--json', join(EXPORT_FIXTURES, 'legacy-protocols.xml')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json).slice(0, 4)).toEqual(['cause', 'team', 'title', 'explanation']);
    expect(json).toMatchObject({ cause: 'unknown', team: 'none', vantage: 'unknown', redHerringPresent: false, warnings: [{ id: 'legacy-protocol-enabled' }] });
    expect(json.domainExport).toMatchObject({ name: expect.stringMatching(/legacy-protocols\.xml$/), format: 'xml', domain: 'legacy_apps', firmware: null });
    expect(json.domainExport.objects[0]).toMatchObject({ class: 'SSLServerProfile', name: 'Legacy_SSLServer', protocols: { SSLv3: true, TLSv1d0: true, TLSv1d1: false, TLSv1d2: false } });
  });

  it.each([
    ['deflated', false],
    ['stored', true],
  ])('reads a %s zip by content, even named .log', async (_, stored) => {
    const file = t.write(`export-${String(stored)}.log`, exportZip(t, readExportFixture('osc-pd-sslerror.xml'), { stored }));
    const r = await runCli(['diagnose', '--json', file]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.domainExport).toMatchObject({ format: 'zip', domain: 'OSC_PD_SSLError', firmware: 'XI52.7.2.0.0' });
    expect(json.domainExport.referrers[0]).toMatchObject({ name: 'SSLError_HTTPS', localPort: '9195' });
  });

  it('text: the profiles table, credentials and handlers, then the diagnosis', async () => {
    const r = await runCli(['diagnose', join(EXPORT_FIXTURES, 'osc-pd-sslerror.xml')]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^DataPower export .*osc-pd-sslerror\.xml \(xml\): domain OSC_PD_SSLError; firmware XI52\.7\.2\.0\.0; 1 profile\(s\); 4 credential\/certificate object\(s\)$/);
    expect(r.stdout).toMatch(/ {2}profile +state +protocols on +ciphers +client auth +idcred +valcred\n {2}SSLServerProfile SSLError_SSLServer +enabled +TLSv1d1, TLSv1d2 +3 +required +SSLError_IdCred +SSLError_ValCred\n/);
    expect(r.stdout).toContain('  CryptoValCred SSLError_ValCred: CertValidationMode pkix; certificates: issuing_CA1 (sharedcert:///issuing_CA1.cer)');
    expect(r.stdout).toContain('  HTTPSSourceProtocolHandler SSLError_HTTPS (0.0.0.0:9195) uses SSLServerProfile SSLError_SSLServer');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('cause: unknown');
  });

  it('reads an export from standard input', async () => {
    const r = await runCli(['diagnose', '--json', '-'], { input: readExportFixture('orders-multi-profile.xml') });
    expect(JSON.parse(r.stdout).domainExport).toMatchObject({ name: 'standard input', domain: 'orders' });
  });

  it('exits 2 with the reason for a hostile or broken export', async () => {
    const laughs = t.write('laughs.xml', '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><datapower-configuration version="3">&b;</datapower-configuration>');
    const refused = await runCli(['diagnose', laughs]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^tls-triage: .*laughs\.xml declares a DOCTYPE or ENTITY/);
    t.write('readme.txt', 'not an export');
    const other = await runCli(['diagnose', t.zip(['-q', 'other.zip', 'readme.txt'])]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/other\.zip is a zip without export\.xml, so not a DataPower domain export \(it holds readme\.txt\)/);
  });
});
