import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

// The bot's HTTP side for the unverified-bodies benchmark, in a process of its own so that its peak
// RSS is its own: a stub Slack Web API (auth.test only), then the shared host with the Slack
// adapter in HTTP mode from ROOT's dist/. Prints its port; on "peak" on stdin, prints its peak RSS.

const root = pathToFileURL(`${resolve(process.argv[2])}/dist/`).href;
const load = (path) => import(new URL(path, root).href);
const { createHttpHost, listen } = await load('adapters/http/server.js');
const { startSlack } = await load('adapters/slack/index.js');
const { configSchema } = await load('bot/config.js');
const { createLogger } = await load('bot/logger.js');

const api = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' })));
});
await new Promise((r) => api.listen(0, '127.0.0.1', r));
const logger = createLogger('silent');
const config = configSchema.parse({ slack: { botToken: 'xoxb-bench', signingSecret: 'bench-secret', apiUrl: `http://127.0.0.1:${api.address().port}/api/` } });
const host = createHttpHost(logger);
const bot = { handle: async () => undefined, drain: async () => undefined };
await startSlack({ bot, config: config.slack, host, logger });
const server = await listen(host, 0, '127.0.0.1');
process.stdout.write(`${JSON.stringify({ port: Number(new URL(server.url).port) })}\n`);
process.stdin.on('data', () => {
  const hwm = Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;
  process.stdout.write(`${JSON.stringify({ peakRssMB: Math.round(hwm) })}\n`);
  process.exit(0);
});
