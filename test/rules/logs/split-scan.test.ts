import { describe, expect, it } from 'vitest';
import { createDiagnoser, type Diagnosis } from '../../../rules/index.js';
import { createScanner } from '../../../rules/logs/scan.js';
import { loadLogFixtures, readFixture } from '../../helpers/fixtures.js';

// A big log file is scanned in two parts by two threads (bot/logs/split-log.ts) and the scans are joined
// (Scanner.endJoined). Whatever line break the file is split at, the diagnosis must be the one a
// single scan gives: connections that span the split, context lines parked on one side for a
// failure on the other, line numbers of the second part.

const diagnoser = createDiagnoser();

/** Diagnoses `text` as two parts split before line `at` (0-based), the second scanned on its own. */
async function splitAt(text: string, at: number): Promise<Diagnosis> {
  const lines = text.split('\n');
  const first = Buffer.from(lines.slice(0, at).map((l) => `${l}\n`).join(''));
  const rest = Buffer.from(lines.slice(at).join('\n'));
  const session = diagnoser.start();
  session.pushBytes(first);
  const later = createScanner(diagnoser.rules, { later: true });
  later.pushBytes(rest);
  // What crosses from the worker thread is a structured clone.
  const part = structuredClone(later.endPart(structuredClone(session.joinKeys())));
  return session.finishJoined(part);
}

/** One scan of `text` as a stream: what a log file read in one part gives (a paste's whole text also lends it its endpoint). */
async function scanOnce(text: string): Promise<Diagnosis> {
  const session = diagnoser.start();
  session.push(text);
  return session.finish();
}

const dataPowerFixtures = loadLogFixtures().filter((f) => f.file.startsWith('datapower/'));

describe('a log scanned in two parts', () => {
  it('gives the diagnosis of one scan at every line break of the DataPower fixtures put end to end', async () => {
    const text = dataPowerFixtures.map((f) => readFixture(f.file).trimEnd()).join('\n');
    const whole = await scanOnce(text);
    // The concatenation holds several failures: the join has something to get wrong.
    expect(whole.others.length).toBeGreaterThanOrEqual(3);
    const lines = text.split('\n').length;
    for (let at = 1; at < lines; at++) expect(await splitAt(text, at), `split before line ${at + 1}`).toEqual(whole);
  });

  it('gives the diagnosis of one scan for every fixture, all sources, split in the middle', async () => {
    for (const fixture of loadLogFixtures()) {
      const text = readFixture(fixture.file);
      const lines = text.split('\n').length;
      if (lines < 2) continue;
      expect(await splitAt(text, Math.floor(lines / 2)), fixture.file).toEqual(await scanOnce(text));
    }
  });

  // DataPower's [GH10] layout, reconstructed: a debug termination line (context only, parked by the
  // scanner) before the connection's failure, and the red herring after it.
  const line = (tid: number, category: string, id: string, object: string, message: string): string =>
    `20240131T101500.000Z [default][${id}][${category}][error] ${object}: tid(${tid})[10.1.1.7]: ${message}`;
  const termination = line(512, 'xmlfirewall', '0x80e0052e', 'xmlfirewall(fw-orders)', 'Starting SSL termination of connection 10.1.1.7:50111 10.1.1.10:443');
  const cipher = line(512, 'ssl', '0x8120002f', 'ssl-server(front-ssl)', 'SSL library error: error:1408A0C1:SSL routines:ssl3_get_client_hello:no shared cipher');
  const herring = line(512, 'ssl', '0x81200025', 'ssl-server(front-ssl)', 'SSL peer did not send a certificate during the handshake');

  it("joins a context line parked in the first part to its connection's failure in the second", async () => {
    const text = ['ordinary line', termination, 'another ordinary line', cipher, herring].join('\n');
    const d = await splitAt(text, 3);
    expect(d.cause).toBe('no-shared-cipher');
    expect(d.count).toBe(1);
    expect(d.others).toEqual([]);
    // Causal lines first, then the connection's context lines, each in line order.
    expect(d.evidence).toEqual([
      { line: 4, text: cipher },
      { line: 2, text: termination },
      { line: 5, text: herring },
    ]);
    expect(d.context).toMatchObject({ server: '10.1.1.10:443', client: '10.1.1.7' });
  });

  it('does not count the red herring of the second part as a connection of its own', async () => {
    const d = await splitAt([termination, cipher, herring].join('\n'), 2);
    expect(d.cause).toBe('no-shared-cipher');
    expect(d.redHerringOnly).toBe(false);
    expect(d.others).toEqual([]);
  });
});
