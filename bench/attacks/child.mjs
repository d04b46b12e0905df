import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

// One attack input handed to the real bot (createBot + SQLite store + default configuration), as a
// channel member's message, in a process of its own so that its peak RSS is its own. Plain
// JavaScript over the built dist/, as `npm start` runs the bot. Prints one JSON line.
// Usage: node child.mjs ROOT INPUT_FILE paste|upload NAME, ROOT being the checkout to measure (this
// one, or an older one for a before/after figure; `npm run build` first in either).

const [rootArg, inputFile, how, name] = process.argv.slice(2);
const dist = pathToFileURL(`${resolve(rootArg)}/dist/`).href;
const load = (path) => import(new URL(path, dist).href);

const { configSchema } = await load('bot/config.js');
const { createBot } = await load('bot/index.js');
const { createLogger } = await load('bot/logger.js');
const { openSqliteStore } = await load('bot/store/sqlite.js');
const { createDiagnoser } = await load('rules/index.js');

const dir = mkdtempSync(join(tmpdir(), 'tls-triage-attack-'));
const config = configSchema.parse({});
const store = openSqliteStore(join(dir, 'incidents.db'), { retentionMs: 86_400_000 });
const bot = createBot({ diagnoser: createDiagnoser(), config, logger: createLogger('silent'), store });
const bytes = readFileSync(inputFile);
const message = {
  platform: 'slack',
  channel: 'C1',
  thread: '1.0',
  user: 'U1',
  addressed: true,
  text: how === 'paste' ? bytes.toString('latin1') : '',
  ...(how === 'upload' ? { files: [{ name, bytes }] } : {}),
};
const replies = [];
const out = {
  async post(reply) {
    replies.push(`${reply.kind}${reply.code ? ` ${reply.code}` : ''}${reply.diagnosis ? ` ${reply.diagnosis.cause}` : ''}${reply.text ? `: ${reply.text.slice(0, 160)}` : ''}`);
    return undefined;
  },
};
globalThis.gc?.();
const rssBefore = process.memoryUsage().rss;
// The longest time the event loop went without running a 1 ms timer: a block. (Not
// monitorEventLoopDelay: when the whole message is one synchronous block, as in older code, its
// timer never fires and it reports no delay at all.)
let last = performance.now();
let maxBlock = 0;
const ticker = setInterval(() => {
  const now = performance.now();
  maxBlock = Math.max(maxBlock, now - last);
  last = now;
}, 1);
const started = performance.now();
await bot.handle(message, out);
const ms = performance.now() - started;
clearInterval(ticker);
maxBlock = Math.max(maxBlock, performance.now() - last);
const peak = peakRss();
await store.close();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({ ms: Math.round(ms), peakRssMB: Math.round(peak / 2 ** 20), startRssMB: Math.round(rssBefore / 2 ** 20), maxBlockMs: Math.round(maxBlock), replies: replies.length > 6 ? [...replies.slice(0, 5), `... ${replies.length - 5} more replies`] : replies })}\n`);

/**
 * The process's own peak RSS (VmHWM). Not resourceUsage().maxRSS: Linux keeps that across execve,
 * so a child would report its parent's peak at the time of the fork.
 */
function peakRss() {
  const line = readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) * 1024;
}
