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
    expect(mustGather.fromText(text)).toEqual(['certificates']);
    expect(mustGather.fromText(keys.certificate)).toEqual(['certificates']);
    expect(mustGather.fromFile('der-certificate')).toEqual(['certificates']);
    expect(mustGather.fromProbe()).toEqual(['certificates']);
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
    const order = (cause: Parameters<typeof mustGather.checklist>[1]['cause'], source?: string) =>
      mustGather.checklist(new Set(['debug-log']), { cause, ...(source ? { context: { source } } : {}) }).map((c) => `${c.id}${c.held ? '+' : ''}`);
    expect(order('red-herring-only')[0]).toBe('debug-log+');
    expect(order('no-shared-cipher')[0]).toBe('packet-trace');
    expect(order('client-cert-untrusted')[0]).toBe('certificates');
    // Domain export and firmware mean nothing for an nginx incident.
    expect(order('server-cert-expired', 'nginx')).toEqual(['certificates', 'packet-trace', 'debug-log+']);
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
    const item = { id: 'x-item', title: 'X', datapowerOnly: false, how: ['do it'] };
    expect(bad({ items: [{ ...item, patterns: ['(a+)+$'] }], askFirst: [] })).toMatch(/mine\.json: items\[0\]\.patterns\[0\]: pattern may backtrack/);
    expect(bad({ items: [item], askFirst: [{ causes: ['no-such-cause'], ask: ['x-item'] }] })).toMatch(/askFirst\[0\]\.causes: unknown cause id "no-such-cause"/);
    expect(bad({ items: [item], askFirst: [{ causes: ['healthy'], ask: ['nope'] }] })).toMatch(/askFirst\[0\]\.ask: unknown item "nope"/);
    expect(bad({ items: [{ ...item, fileKinds: ['jpeg'] }], askFirst: [] })).toMatch(/mine\.json: items\.0\.fileKinds\.0/);
  });
});
