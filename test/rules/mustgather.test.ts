import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createDiagnoser, loadMustGather, RuleFileError } from '../../rules/index.js';
import { readFixture } from '../helpers/fixtures.js';
import { generateKeys } from '../helpers/keys.js';

const mustGather = loadMustGather();
const diagnoser = createDiagnoser();

describe('MustGather checklist (IBM technote items as data)', () => {
  it('recognises certificate details in real openssl output', () => {
    const keys = generateKeys();
    const text = execFileSync('openssl', ['x509', '-noout', '-text'], { input: keys.certificate }).toString();
    // DataPower's item and the chain file of other stacks: the checklist shows the one that fits.
    expect(mustGather.fromText(text).sort()).toEqual(['certificates', 'chain-file']);
    expect(mustGather.fromText(keys.certificate).sort()).toEqual(['certificates', 'chain-file']);
    expect(mustGather.fromFile('der-certificate').sort()).toEqual(['certificates', 'chain-file']);
    expect(mustGather.fromProbe().sort()).toEqual(['certificates', 'showcerts']);
  });

  it('recognises a debug-level DataPower log, and a failure diagnosed from real error lines', async () => {
    const debug = readFixture('datapower/protocol-too-old-osmd-reconstructed.txt');
    expect(mustGather.fromText(debug)).toContain('debug-log');
    const redHerring = readFixture('datapower/red-herring-only-reconstructed.txt');
    expect(mustGather.fromText(redHerring)).toEqual([]);
    expect(mustGather.fromDiagnosis(await diagnoser.diagnoseText(redHerring))).toEqual([]);
    const errorLevelOnly = debug.split('\n')[0] as string;
    expect(mustGather.fromDiagnosis(await diagnoser.diagnoseText(errorLevelOnly))).toEqual(['debug-log']);
  });

  it('recognises a domain export and the firmware version (hand-written in the documented export format)', () => {
    // Hand-written from shared/reference/datapower-export-format.md, not a real export.
    const exportXml = '<datapower-configuration version="3"><export-details><firmware-version>IDG.10.5.0.5</firmware-version></export-details></datapower-configuration>';
    expect(mustGather.fromText(exportXml).sort()).toEqual(['domain-export', 'firmware-version']);
    expect(mustGather.fromText('Version: IDG.2018.4.1.10')).toEqual(['firmware-version']);
    expect(mustGather.fromFile('pcapng')).toEqual(['packet-trace']);
    expect(mustGather.fromFile('datapower-export')).toEqual(['domain-export']);
  });

  it('asks first for what would most likely change the diagnosis', () => {
    const order = (cause: Parameters<typeof mustGather.checklist>[1]['cause'], source: string, held = source === 'datapower' ? ['debug-log'] : []) =>
      mustGather.checklist(new Set(held), { cause, context: { source }, stacks: [source] }).map((c) => `${c.id}${c.held ? '+' : ''}`);
    expect(order('red-herring-only', 'datapower')[0]).toBe('debug-log+');
    expect(order('no-shared-cipher', 'datapower')[0]).toBe('packet-trace');
    expect(order('client-cert-untrusted', 'datapower')[0]).toBe('certificates');
    // DataPower's export, firmware and debug log mean nothing for an nginx incident: its equivalents instead.
    expect(order('server-cert-expired', 'nginx')).toEqual(['showcerts', 'chain-file', 'packet-trace', 'server-error-log']);
  });

  it("fits the stack: IBM's MustGather for DataPower, the equivalents for Java and Go, never DataPower steps for them", () => {
    const checklist = (stacks: string[], cause: 'server-cert-untrusted' | 'protocol-too-old' = 'server-cert-untrusted', held: string[] = []) =>
      mustGather.checklist(new Set(held), { cause, stacks, context: { source: stacks[0] as string }, endpoint: { host: 'payments.internal', port: 8443 } });
    const java = checklist(['java']);
    expect(java.map((c) => c.id)).toEqual(['showcerts', 'tls-debug-log', 'chain-file', 'packet-trace', 'server-error-log']);
    const go = checklist(['go']);
    expect(go.map((c) => c.id)).toEqual(['showcerts', 'chain-file', 'packet-trace', 'server-error-log']);
    for (const entry of [...java, ...go]) {
      expect(entry.scope).not.toBe('datapower');
      expect(entry.how.join(' ')).not.toMatch(/DataPower|WebGUI/);
    }
    // The endpoint the evidence names fills the commands.
    expect(java[0]?.how[0]).toContain('openssl s_client -connect payments.internal:8443 -servername payments.internal -showcerts');
    const datapower = checklist(['datapower'], 'protocol-too-old');
    expect(datapower.map((c) => c.id)).toEqual(['packet-trace', 'domain-export', 'firmware-version', 'debug-log', 'certificates']);
    expect(datapower[0]?.how[0]).toMatch(/^DataPower: Troubleshooting > Packet Capture/);
    // DataPower behind a Java client: both lists, and a held export marks DataPower even without its lines.
    expect(checklist(['datapower', 'java']).map((c) => c.id)).toContain('domain-export');
    expect(checklist(['java']).map((c) => c.id)).toContain('tls-debug-log');
    expect(checklist(['java'], 'server-cert-untrusted', ['domain-export']).find((c) => c.id === 'domain-export')?.held).toBe(true);
  });

  it('recognises the equivalents in real output: a JDK debug log, s_client -showcerts, an nginx error log', () => {
    expect(mustGather.fromText('javax.net.ssl|DEBUG|01|main|2024-01-31 10:15:00.000 UTC|ClientHello.java:641|Produced ClientHello handshake message')).toContain('tls-debug-log');
    expect(mustGather.fromText('CONNECTED(00000003)\n---\nCertificate chain\n 0 s:CN = payments.internal\n   i:CN = Issuing CA')).toContain('showcerts');
    expect(mustGather.fromText(readFixture('nginx/server-cert-expired.txt'))).toContain('server-error-log');
  });

  it('rejects a bad checklist file naming the field', () => {
    const bad = (json: unknown): string => {
      try {
        loadMustGather(json, 'mine.json');
        return 'loaded';
      } catch (error) {
        expect(error).toBeInstanceOf(RuleFileError);
        return (error as Error).message;
      }
    };
    const item = { id: 'x-item', title: 'X', scope: 'any', how: ['do it'] };
    expect(bad({ items: [{ ...item, patterns: ['(a+)+$'] }], askFirst: [] })).toMatch(/mine\.json: items\[0\]\.patterns\[0\]: pattern may backtrack/);
    expect(bad({ items: [item], askFirst: [{ causes: ['no-such-cause'], ask: ['x-item'] }] })).toMatch(/askFirst\[0\]\.causes: unknown cause id "no-such-cause"/);
    expect(bad({ items: [item], askFirst: [{ causes: ['healthy'], ask: ['nope'] }] })).toMatch(/askFirst\[0\]\.ask: unknown item "nope"/);
    expect(bad({ items: [{ ...item, fileKinds: ['jpeg'] }], askFirst: [] })).toMatch(/mine\.json: items\.0\.fileKinds\.0/);
    expect(bad({ items: [{ ...item, scope: 'websphere' }], askFirst: [] })).toMatch(/mine\.json: items\.0\.scope/);
  });
});
