import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { textBomb } from '../../bench/attacks/inputs.js';
import { configSchema } from '../../bot/config.js';
import { TriageError } from '../../bot/errors.js';
import { gunzipBounded, gunzipUpload } from '../../bot/inflate.js';
import { createBot } from '../../bot/index.js';
import { createLogger } from '../../bot/logger.js';
import { createDiagnoser } from '../../rules/index.js';
import { ask, tempSqliteStore } from '../helpers/bot.js';
import { runCli } from '../helpers/cli.js';
import { readFixture } from '../helpers/fixtures.js';

// gzip within bounds (issue 16): the CLI inflated a 22 MB .gz of 10 GB of text for 45 s. The
// inflated size (input.maxInflatedBytes, at most 2 GiB by default) and the ratio to the compressed
// size (input.maxInflateRatio) are counted as the bytes come, and the refusal names the limit.

const MIB = 1024 * 1024;
const tmp = mkdtempSync(join(tmpdir(), 'tls-triage-inflate-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Text that gzip shrinks about 3 times: like a real log, unlike a bomb. */
function ordinaryText(bytes: number): Buffer {
  return Buffer.from(randomBytes(Math.ceil(bytes / 2)).toString('hex').replace(/(.{100})/g, '$1\n').slice(0, bytes));
}

async function consume(stream: AsyncIterable<Buffer>): Promise<{ bytes: number; error?: unknown }> {
  let bytes = 0;
  try {
    for await (const chunk of stream) bytes += chunk.length;
  } catch (error) {
    return { bytes, error };
  }
  return { bytes };
}

describe('gzip bounds', () => {
  it('the defaults: at most 2 GiB inflated, at most 100 times the compressed size', () => {
    expect(configSchema.parse({}).input).toMatchObject({ maxInflatedBytes: 2 * 1024 * MIB, maxInflateRatio: 100 });
  });

  it('a stream stops at the ratio after the first MiB, not after the gigabyte the bomb holds', async () => {
    const bomb = textBomb(1024 * MIB);
    const result = await consume(gunzipBounded(Readable.from([bomb]), 'bomb.gz', { maxInflatedBytes: 2 * 1024 * MIB, maxInflateRatio: 100 }));
    expect(result.error).toBeInstanceOf(TriageError);
    expect((result.error as TriageError).message).toBe('bomb.gz unpacks to more than 100 times its compressed size (input.maxInflateRatio): refused as a decompression bomb');
    expect(result.bytes).toBeLessThan(4 * MIB);
  });

  it('a stream stops at maxInflatedBytes whatever its ratio', async () => {
    const gz = gzipSync(ordinaryText(6 * MIB));
    const result = await consume(gunzipBounded(Readable.from([gz]), 'big.gz', { maxInflatedBytes: 2 * MIB, maxInflateRatio: 100 }));
    expect((result.error as TriageError).message).toBe('big.gz unpacks to more than 2097152 bytes (input.maxInflatedBytes): refused');
    expect(result.bytes).toBeLessThanOrEqual(2 * MIB);
    // Within both bounds it all comes out.
    expect(await consume(gunzipBounded(Readable.from([gz]), 'big.gz', { maxInflatedBytes: 8 * MIB, maxInflateRatio: 100 }))).toEqual({ bytes: 6 * MIB });
  });

  it('a chat upload is inflated to at most its limit, and a bomb is refused by its ratio', async () => {
    await expect(gunzipUpload(gzipSync(ordinaryText(24 * MIB)), 'big.gz', { maxInflatedBytes: 20 * MIB, maxInflateRatio: 100 })).rejects.toThrow('big.gz unpacks to more than 20971520 bytes (input.maxInflatedBytes): refused');
    await expect(gunzipUpload(textBomb(200 * MIB), 'bomb.gz', { maxInflatedBytes: 20 * MIB, maxInflateRatio: 100 })).rejects.toThrow(/input\.maxInflateRatio/);
    await expect(gunzipUpload(textBomb(10 * MIB), 'bomb.gz', { maxInflatedBytes: 20 * MIB, maxInflateRatio: 100 })).rejects.toThrow(/input\.maxInflateRatio/);
    // A small file of repeated lines is below the ratio's floor (1 MiB): read.
    expect((await gunzipUpload(textBomb(512 * 1024), 'small.gz', { maxInflatedBytes: 20 * MIB, maxInflateRatio: 100 })).length).toBe(512 * 1024);
    const bot = createBot({ diagnoser: createDiagnoser(), config: configSchema.parse({}), logger: createLogger('silent'), store: tempSqliteStore().store });
    const replies = await ask(bot, { platform: 'console', channel: 'C', user: 'u', text: '', addressed: true, files: [{ name: 'bomb.log.gz', bytes: textBomb(64 * MIB) }] });
    expect(replies).toContainEqual({ kind: 'error', code: 'INPUT_UNREADABLE', text: 'bomb.log.gz: it unpacks to more than 100 times its compressed size (input.maxInflateRatio): refused as a decompression bomb' });
  });

  it('tls-triage diagnose refuses a gzip bomb naming the limit (exit 2); both limits come from the configuration', async () => {
    const bomb = join(tmp, 'bomb.log.gz');
    writeFileSync(bomb, textBomb(1024 * MIB));
    const refused = await runCli(['diagnose', bomb]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('unpacks to more than 100 times its compressed size (input.maxInflateRatio)');
    const config = join(tmp, 'tls-triage.json');
    writeFileSync(config, JSON.stringify({ input: { maxInflatedBytes: 8 * MIB, maxInflateRatio: 100_000 } }));
    const capped = await runCli(['diagnose', bomb], { env: { TLS_TRIAGE_CONFIG: config } });
    expect(capped.code).toBe(2);
    expect(capped.stderr).toContain('unpacks to more than 8388608 bytes (input.maxInflatedBytes)');
    // A plain file has no such bound: 12 MiB of log streams through under the same configuration.
    const plain = join(tmp, 'plain.log');
    const log = readFixture('datapower/legacy-ssl-osmd.txt');
    writeFileSync(plain, `${ordinaryText(12 * MIB).toString()}\n${log}`);
    const read = await runCli(['diagnose', plain, '--json'], { env: { TLS_TRIAGE_CONFIG: config } });
    expect(read.code, read.stderr).toBe(0);
    expect(JSON.parse(read.stdout)).toMatchObject({ cause: 'legacy-ssl' });
    writeFileSync(config, JSON.stringify({ input: { maxInflateRatio: 1 } }));
    const invalid = await runCli(['diagnose', plain], { env: { TLS_TRIAGE_CONFIG: config } });
    expect(invalid.stderr).toMatch(/config key input\.maxInflateRatio: /);
  }, 60_000);
});
