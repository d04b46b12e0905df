import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as ReadLog from '../../../bot/logs/read-log.js';
import type * as SplitLog from '../../../bot/logs/split-log.js';
import type * as Rules from '../../../rules/index.js';
import { ROOT, runCli } from '../../helpers/cli.js';

// The worker thread runs compiled JavaScript (dist/bot/logs/scan-worker.js), so these tests drive the
// compiled modules, as the CLI does: a real worker thread scans the second half of a real file.

const { diagnoseStream } = (await import(join(ROOT, 'dist/bot/logs/read-log.js'))) as typeof ReadLog;
const { LogScanWorker, SPLIT_MIN_BYTES } = (await import(join(ROOT, 'dist/bot/logs/split-log.js'))) as typeof SplitLog;
const { createDiagnoser } = (await import(join(ROOT, 'dist/rules/index.js'))) as typeof Rules;

const diagnoser = createDiagnoser();
const dir = mkdtempSync(join(tmpdir(), 'tls-triage-split-'));
const file = join(dir, 'datapower.log');

// DataPower lines in the [GH10] layout (reconstructed, as the benchmark's log): each connection's
// termination line, failure and red herring are written a block apart, so that wherever the file is
// split, connections span the split.
function line(tid: number, category: string, object: string, message: string): string {
  return `20240131T101500.000Z [default][0x8120002f][${category}][error] ${object}: tid(${tid})[10.1.${tid % 250}.7]: ${message}`;
}
const FAILURES = [
  'SSL library error: error:1408A0C1:SSL routines:ssl3_get_client_hello:no shared cipher',
  'SSL library error: error:140760FC:SSL routines:SSL23_GET_CLIENT_HELLO:unknown protocol',
  'SSL library error: error:1407609C:SSL routines:SSL23_GET_CLIENT_HELLO:http request',
];
function block(tid: number): string {
  return [
    line(tid, 'xmlfirewall', 'xmlfirewall(fw-orders)', `Starting SSL termination of connection 10.1.${tid % 250}.7:50111 10.1.1.10:443`),
    line(tid - 1, 'ssl', 'ssl-server(front-ssl)', FAILURES[(tid - 1) % 3] as string),
    line(tid - 2, 'ssl', 'ssl-server(front-ssl)', 'SSL peer did not send a certificate during the handshake'),
    line(tid, 'mpgw', 'mpgw(webapi)', 'Received HTTP/1.1 POST for /orders/v1/items'),
    line(tid, 'mpgw', 'mpgw(webapi)', 'Transaction completed with status 200 in 12 ms'),
  ].join('\n');
}

beforeAll(() => {
  const blocks: string[] = [];
  let size = 0;
  for (let tid = 1000; size < SPLIT_MIN_BYTES + 1024 * 1024; tid++) {
    const text = `${block(tid)}\n`;
    blocks.push(text);
    size += text.length;
  }
  writeFileSync(file, blocks.join(''));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const open = () => createReadStream(file, { highWaterMark: 1024 * 1024 });

describe('a big log file split between two threads', () => {
  it('has the second half scanned by the worker thread, with the diagnosis of one thread', async () => {
    const oneThread = await diagnoseStream(open(), diagnoser, file);
    const reports: ReadLog.SplitReport[] = [];
    const split = await diagnoseStream(open(), diagnoser, file, { file: { path: file, size: statSync(file).size }, onSplit: (r) => reports.push(r) });
    expect(reports).toHaveLength(1);
    expect(reports[0]?.scannedBy).toBe('worker');
    expect(reports[0]?.at).toBeGreaterThan(statSync(file).size / 2 - 1);
    expect(oneThread.count).toBeGreaterThan(10_000);
    expect(split).toEqual(oneThread);
  });

  it('scans the second half itself when the worker thread dies with its part, and loses nothing', async () => {
    const worker = new LogScanWorker();
    await new Promise<void>((resolve) => worker.whenReady(resolve));
    const reports: ReadLog.SplitReport[] = [];
    const pending = diagnoseStream(open(), diagnoser, file, { file: { path: file, size: statSync(file).size }, worker, onSplit: (r) => reports.push(r) });
    worker.stop(); // the part was handed over before diagnoseStream's first await
    const d = await pending;
    expect(reports[0]?.scannedBy).toMatch(/^this thread: /);
    expect(d).toEqual(await diagnoseStream(open(), diagnoser, file));
  });

  it('reads the whole file in this thread when the worker never comes up', async () => {
    const worker = new LogScanWorker();
    worker.stop();
    const reports: ReadLog.SplitReport[] = [];
    const d = await diagnoseStream(open(), diagnoser, file, { file: { path: file, size: statSync(file).size }, worker, onSplit: (r) => reports.push(r) });
    expect(reports).toEqual([]);
    expect(d).toEqual(await diagnoseStream(open(), diagnoser, file));
  });

  it('gives the CLI the same JSON for the file (two threads) as for the same bytes on stdin (one)', async () => {
    const [fromFile, fromStdin] = [await runCli(['diagnose', file, '--json']), await runCli(['diagnose', '-', '--json'], { input: await readAll(file) })];
    expect(fromFile.code).toBe(0);
    expect(JSON.parse(fromFile.stdout).cause).toBe('no-shared-cipher');
    expect(fromFile.stdout).toBe(fromStdin.stdout);
  });
});

async function readAll(path: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(path)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
