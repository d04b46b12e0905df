import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { writeDataPowerLog } from '../../../bench/make-datapower-log.js';
import { mayReceiveToken } from '../../../adapters/slack/files.js';
import { readFixture } from '../../helpers/fixtures.js';
import { BOT_TOKEN, BOT_USER_ID, type ApiCall } from './helpers/fake-slack.js';
import { startHarness, type Harness } from './helpers/harness.js';
import { eventEnvelope, newTs, sendEvent } from './helpers/signed.js';

// Uploads end to end: the message event of an upload, files.info, the download with the bot
// token, and a reply that fits Slack's limits however large the log.

const PROTOCOL_TOO_OLD = readFixture('datapower/protocol-too-old-osmd-reconstructed.txt');

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type Block = { type: string; text?: { text: string }; elements?: { text: string }[]; fields?: { text: string }[] };
const blocksOf = (call: ApiCall | undefined): Block[] => (call?.args.blocks as Block[] | undefined) ?? [];
const texts = (b: Block): string[] => [b.text?.text ?? '', ...(b.elements ?? []).map((e) => e.text), ...(b.fields ?? []).map((f) => f.text)];

function upload(fileId: string, name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'message', subtype: 'file_share', channel: 'C1', channel_type: 'channel', user: 'U1', text: '', ts: newTs(), files: [{ id: fileId, name }], ...extra };
}

describe('slack file uploads (end to end)', () => {
  it('downloads an uploaded log with the bot token and answers in the thread under it', async () => {
    h = await startHarness();
    const file = h.fake.addFile('datapower.log', Buffer.from(PROTOCOL_TOO_OLD));
    const event = upload(file.id, file.name);
    await sendEvent(h.eventsUrl, eventEnvelope(event));
    await h.settle(1);
    expect(h.fake.calls.filter((c) => c.method === 'files.info').map((c) => c.args.file)).toEqual([file.id]);
    expect(h.fake.downloads).toEqual([expect.objectContaining({ authorization: `Bearer ${BOT_TOKEN}`, status: 200 })]);
    expect(h.seen[0]?.files?.map((f) => [f.name, f.bytes.length])).toEqual([[file.name, file.bytes.length]]);
    const [post] = h.fake.posts();
    expect(post?.args).toMatchObject({ channel: 'C1', thread_ts: event.ts });
    expect(blocksOf(post).at(-1)).toMatchObject({ type: 'context', elements: [{ text: 'cause: `protocol-too-old`' }] });
    const logged = JSON.stringify(h.logs);
    expect(logged).toContain('"downloaded":1');
    expect(logged).not.toContain(BOT_TOKEN);
    expect(logged).not.toContain('files-pri');
    expect(logged).not.toContain('SSL23_GET_CLIENT_HELLO');
  });

  it('reads a gzip upload', async () => {
    h = await startHarness();
    const file = h.fake.addFile('datapower.log.gz', gzipSync(Buffer.from(PROTOCOL_TOO_OLD)), 'application/gzip');
    await sendEvent(h.eventsUrl, eventEnvelope(upload(file.id, file.name)));
    await h.settle(1);
    expect(blocksOf(h.fake.posts()[0]).at(-1)).toMatchObject({ elements: [{ text: 'cause: `protocol-too-old`' }] });
  });

  it('answers a 2 MB log within Slack limits: ≤ 50 blocks, sections ≤ 3000, text ≤ 40k', async () => {
    h = await startHarness();
    const dir = mkdtempSync(join(tmpdir(), 'slack-2mb-'));
    try {
      const path = join(dir, 'big.log');
      await writeDataPowerLog(path, 2 * 1024 * 1024);
      const file = h.fake.addFile('big.log', readFileSync(path));
      expect(file.bytes.length).toBeGreaterThanOrEqual(2 * 1024 * 1024);
      await sendEvent(h.eventsUrl, eventEnvelope(upload(file.id, file.name)));
      await h.settle(1, 60_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const [post] = h.fake.posts();
    const blocks = blocksOf(post);
    expect(blocks.length).toBeGreaterThan(3);
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const b of blocks) {
      if (b.type === 'section') expect(b.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
      if (b.type === 'header') expect(b.text?.text.length ?? 0).toBeLessThanOrEqual(150);
    }
    expect(blocks.flatMap(texts).join('').length).toBeLessThanOrEqual(12_000);
    expect(String(post?.args.text).length).toBeLessThanOrEqual(40_000);
    expect(String(post?.args.text).length).toBeGreaterThan(0);
    // Hundreds of failing connections: the first reply shows three lines and says what Details holds.
    expect(blocks.flatMap(texts).join('\n').match(/#1 line \d+: /g)).toHaveLength(3);
    expect(blocks.flatMap(texts).join('\n')).toMatch(/\*Details\* shows the explanation, \d+ more evidence lines and \d+ other causes\./);
    expect(blocks.at(-1)).toMatchObject({ type: 'context', elements: [{ text: expect.stringMatching(/^cause: `/) }] });
  });

  it('answers an upload once although Slack also sends file_shared for it', async () => {
    h = await startHarness();
    const file = h.fake.addFile('datapower.log', Buffer.from(PROTOCOL_TOO_OLD));
    await sendEvent(h.eventsUrl, eventEnvelope({ type: 'file_shared', file_id: file.id, file: { id: file.id }, user_id: 'U1', channel_id: 'C1', ts: newTs() }));
    await sendEvent(h.eventsUrl, eventEnvelope(upload(file.id, file.name)));
    await h.settle(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(h.seen).toHaveLength(1);
    expect(h.fake.calls.filter((c) => c.method === 'files.info')).toHaveLength(1);
    expect(h.fake.posts()).toHaveLength(1);
  });

  it('does not download an upload over the size limit, and says so to someone who asked', async () => {
    h = await startHarness({ config: { input: { maxChatBytes: 4096 } } });
    const file = h.fake.addFile('huge.log', Buffer.alloc(10_000, 'x'));
    await sendEvent(h.eventsUrl, eventEnvelope({ ...upload(file.id, file.name), type: 'app_mention', subtype: undefined, text: `<@${BOT_USER_ID}>` }));
    await h.settle(1);
    expect(h.fake.downloads).toEqual([]);
    const texts0 = blocksOf(h.fake.posts()[0]).flatMap(texts).join('\n');
    expect(texts0).toContain('huge.log: not read, 10000 bytes is over the 4096-byte limit');
  });

  it('tells someone who asked when Slack answers the file link with its sign-in page (token without files:read)', async () => {
    h = await startHarness({ botToken: 'xoxb-other-token' });
    const file = h.fake.addFile('datapower.log', Buffer.from(PROTOCOL_TOO_OLD));
    await sendEvent(h.eventsUrl, eventEnvelope({ ...upload(file.id, file.name), channel: 'D1', channel_type: 'im' }));
    await h.settle(1);
    expect(h.fake.downloads).toEqual([expect.objectContaining({ authorization: 'Bearer xoxb-other-token' })]);
    expect(h.seen[0]?.files).toBeUndefined();
    expect(blocksOf(h.fake.posts()[0]).flatMap(texts).join('\n')).toContain('files:read');
  });

  it('sends the bot token only to Slack file hosts and the configured API origin', () => {
    expect(mayReceiveToken('https://files.slack.com/files-pri/T1-F1/a.log', [])).toBe(true);
    expect(mayReceiveToken('http://files.slack.com/files-pri/T1-F1/a.log', [])).toBe(false);
    expect(mayReceiveToken('https://files.slack.com.evil.test/a.log', [])).toBe(false);
    expect(mayReceiveToken('http://127.0.0.1:9/files-pri/a.log', ['http://127.0.0.1:9'])).toBe(true);
    expect(mayReceiveToken('http://127.0.0.1:10/files-pri/a.log', ['http://127.0.0.1:9'])).toBe(false);
  });
});
