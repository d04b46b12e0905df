import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDataPowerHeader } from '../../../rules/logs/extract/datapower.js';
import { createDiagnoser } from '../../../rules/index.js';
import { LOG_FIXTURES } from '../../helpers/fixtures.js';
import { loadPublicFiles, pasteOf } from '../../helpers/public-corpus.js';

// Other software also brackets its level or prints 0x codes; only DataPower's header may make a line
// DataPower's, or the DataPower readings (the SSLv3 'wrong version number', the back-side steps) leak
// onto Envoy, ClickHouse or Schannel text. Every line here is verbatim: DataPower's from the DataPower
// fixtures (their sources in test/fixtures/logs/datapower/SOURCES.md), the others from the public corpus.
const DATAPOWER = join(LOG_FIXTURES, 'datapower');
const headerLines = readdirSync(DATAPOWER)
  .filter((f) => f.endsWith('.txt'))
  .flatMap((f) => readFileSync(join(DATAPOWER, f), 'utf8').split('\n'))
  .filter((line) => /\[0x[0-9a-f]{8}\]|tid\(\d+\)/i.test(line));
const records = loadPublicFiles(['libraries.jsonl', 'kubernetes-cloud-native.jsonl', 'database-broker-clients.jsonl', 'databases-middleware.jsonl', 'ibm-mainframe.jsonl']);
const lineOf = (url: string, fragment: string): string =>
  pasteOf(records, url, fragment).text.split('\n').find((line) => line.includes(fragment)) as string;

describe("DataPower's log header and look-alikes", () => {
  it('reads the header of every DataPower fixture line that has a message id or a tid', () => {
    expect(headerLines.length).toBeGreaterThan(20);
    for (const line of headerLines) expect(parseDataPowerHeader(line), line).toBeDefined();
  });

  it.each([
    ['Envoy', 'https://github.com/envoyproxy/envoy/issues/13047', '[C2] TLS error'],
    ['Envoy in App Mesh', 'https://github.com/aws/aws-app-mesh-roadmap/issues/457', 'ssl_socket.cc'],
    ['a ClickHouse stack frame', 'https://github.com/ClickHouse/ClickHouse/issues/35270', '@ 0x1436851a in'],
    ['HeidiSQL on Schannel', 'https://github.com/HeidiSQL/HeidiSQL/issues/519', 'Unknown SSL error 0x80090308'],
    ['x3270 on Schannel', 'https://github.com/pmattes/x3270/issues/45', 'error 0x80090325'],
  ])('not DataPower: %s', (_name, url, fragment) => {
    expect(parseDataPowerHeader(lineOf(url, fragment))).toBeUndefined();
  });

  it("an Envoy log is named Envoy's, not DataPower's", async () => {
    const d = await createDiagnoser().diagnoseText(pasteOf(records, 'https://github.com/envoyproxy/envoy/issues/13047').text);
    expect(d.stacks).not.toContain('datapower');
  });
});
