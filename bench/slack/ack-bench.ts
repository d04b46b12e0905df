// Acknowledgement latency of the Slack adapter (HTTP mode) under bursts of concurrent requests:
// how long Slack waits for the HTTP answer to an event or a slash command while the bot works
// through the burst it has just acknowledged. Slack gives up after 3 s; the target is p99 < 100 ms.
// Run: npx tsx bench/slack/ack-bench.ts   (writes bench/out/slack-ack.json)
//
// This process runs what production runs: the shared Express host, Bolt, the adapter, the bot with
// a SQLite store. "Slack" (the Web API the replies go to, and the load) runs in a worker thread.
import { createHmac } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configSchema } from '../../bot/config.js';
import { slackSchema } from '../../bot/config-chat.js';
import { createBot, type Bot } from '../../bot/index.js';
import { createLogger } from '../../bot/logger.js';
import { createHttpHost, listen } from '../../adapters/http/server.js';
import { startSlack } from '../../adapters/slack/index.js';
import { createDiagnoser } from '../../rules/index.js';
import { tempSqliteStore } from '../../test/helpers/bot.js';
import { eventEnvelope, newTs } from '../../test/adapters/slack/helpers/signed.js';
import { startSlackSide } from './slack-side.js';

const CONCURRENCY = 200;
const ROUNDS = 5;
const SECRET = 'bench-signing-secret';
// A real DataPower SSL library error: every event is diagnosed and answered, the expensive case.
const LINE = '20160601T140212.107Z [OSC_PD_SSLError][0x8120002f][ssl][error] ssl-server(SSLError_SSLServer): tid(24017)[192.168.1.46]: SSL library error: error:140760FC:SSL routines:SSL23_GET_CLIENT_HELLO:unknown protocol';

type Kind = 'events' | 'commands' | 'floor';

function raw(body: string, contentType: string, path = '/slack/events'): string {
  const ts = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  return `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Slack-Request-Timestamp: ${ts}\r\nX-Slack-Signature: ${signature}\r\nConnection: close\r\n\r\n${body}`;
}

function requests(kind: Kind, n: number, round: number, responseBase: string): string[] {
  return Array.from({ length: n }, (_, i) => {
    const text = LINE.replace('24017', String(round * 1000 + i));
    if (kind !== 'commands') {
      const body = JSON.stringify(eventEnvelope({ type: 'message', channel: `C${round}`, channel_type: 'channel', user: `U${i}`, text, ts: newTs() }));
      return raw(body, 'application/json', kind === 'floor' ? '/bench/floor' : '/slack/events');
    }
    const form = new URLSearchParams({ command: '/tls', text: `diagnose ${text}`, team_id: 'T1', channel_id: `C${round}`, user_id: `U${i}`, response_url: `${responseBase}${round}-${i}`, trigger_id: `t${i}` });
    return raw(form.toString(), 'application/x-www-form-urlencoded');
  });
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
const r2 = (n: number): number => Math.round(n * 100) / 100;

const slack = await startSlackSide();
const { store, cleanup } = tempSqliteStore();
// Production logs at info to stderr; here into nothing, so the terminal shows only the results.
const logger = createLogger('info', { write: () => undefined });
const config = configSchema.parse({});
const inner = createBot({ diagnoser: createDiagnoser(), config, logger, store });
let handled = 0;
const bot: Bot = { handle: (m, out) => ((handled += 1), inner.handle(m, out)), drain: () => inner.drain() };
const host = createHttpHost(logger);
// The floor: an Express route on the same server that reads the body and answers 200, nothing
// else. What this machine's HTTP stack costs for the same bursts, for comparison.
host.app.post('/bench/floor', (req, res) => {
  req.resume();
  req.on('end', () => res.status(200).end());
});
const adapter = await startSlack({ bot, config: slackSchema.parse({ botToken: 'xoxb-bench', signingSecret: SECRET, apiUrl: slack.apiUrl }), host, logger });
const server = await listen(host, 0, '127.0.0.1');
const port = Number(new URL(server.url).port);
const responseBase = slack.apiUrl.replace('/api/', '/response/');

async function settle(count: number): Promise<void> {
  while (handled < count) await new Promise((r) => setTimeout(r, 20));
  await inner.drain();
}

interface Figures {
  requests: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  non200: number;
  perRoundP50P99: string[];
}

async function measure(kind: Kind): Promise<Figures> {
  const all: number[] = [];
  const perRound: string[] = [];
  let failed = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const results = await slack.burst(port, requests(kind, CONCURRENCY, round, responseBase));
    failed += results.filter((r) => r.status !== 200).length;
    // Each burst is answered in full before the next, so rounds do not overlap.
    if (kind !== 'floor') await settle(handledTarget(CONCURRENCY));
    const ms = results.map((r) => r.ms).sort((a, b) => a - b);
    perRound.push(`${r2(percentile(ms, 50))}/${r2(percentile(ms, 99))}`);
    all.push(...ms);
  }
  all.sort((a, b) => a - b);
  return { requests: all.length, p50Ms: r2(percentile(all, 50)), p99Ms: r2(percentile(all, 99)), maxMs: r2(all.at(-1) ?? 0), non200: failed, perRoundP50P99: perRound };
}

let target = 0;
/** The total number of messages the bot will have handled once the burst just sent is in. */
function handledTarget(n: number): number {
  target += n;
  return target;
}

try {
  // Warm-up bursts, not counted: JIT, SQLite statements, and the pools of keep-alive connections
  // to the Web API and response_url that a running bot has open.
  for (const kind of ['events', 'commands'] as const) {
    await slack.burst(port, requests(kind, CONCURRENCY, 90 + (kind === 'events' ? 0 : 1), responseBase));
    await settle(handledTarget(CONCURRENCY));
  }
  const floor = await measure('floor');
  const events = await measure('events');
  const commands = await measure('commands');
  const counts = await slack.counts();
  const result = {
    generatedAt: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    // The machine is shared: its 1-minute load average when the run ended, for reading the figures.
    loadAverage1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    concurrency: CONCURRENCY,
    rounds: ROUNDS,
    targetP99Ms: 100,
    measured: 'from writing a request on an open connection to receiving the response headers, all requests of a burst written at once',
    events: { ...events, what: 'Events API message events, each a DataPower SSL library error in a new thread, diagnosed and answered with chat.postMessage' },
    commands: { ...commands, what: '/tls diagnose <the same line> slash commands, answered through response_url' },
    floor: { ...floor, what: 'the same event bodies to an Express route that only reads the body and answers 200 (this machine\'s HTTP floor)' },
    answeredIncludingWarmUp: counts,
  };
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'out');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'slack-ack.json'), `${JSON.stringify(result, null, 2)}\n`);
  for (const kind of ['events', 'commands', 'floor'] as const) {
    const r = result[kind];
    process.stdout.write(`${kind}: ${CONCURRENCY} concurrent x ${ROUNDS} rounds: ack p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, max ${r.maxMs} ms, non-200 ${r.non200}; per round p50/p99: ${r.perRoundP50P99.join(', ')}\n`);
  }
  const expected = CONCURRENCY * (ROUNDS + 1);
  process.stdout.write(`answered (warm-up included): ${counts.postMessage} chat.postMessage, ${counts.responseUrl} response_url; expected ${expected} each\n`);
  if (counts.postMessage !== expected || counts.responseUrl !== expected) process.exitCode = 1;
} finally {
  await adapter.stop();
  await inner.drain();
  await server.close();
  await slack.close();
  await cleanup();
}
