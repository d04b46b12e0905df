import { Worker } from 'node:worker_threads';

// "Slack" for the ack benchmark, in a worker thread with its own event loop (on a 2-core machine,
// its own core): a minimal Web API and response_url endpoint that answer ok, and a load
// generator that opens one connection per request beforehand, then writes every request of a
// burst at once and times each until its response headers arrive, as Slack would wait for them.
// Plain JavaScript, so the worker needs no TypeScript loader.

const SLACK_SIDE = `
const { parentPort } = require('node:worker_threads');
const http = require('node:http');
const net = require('node:net');
const counts = { postMessage: 0, update: 0, responseUrl: 0, other: 0 };
let ts = 1700000000;
const api = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const path = req.url.split('?')[0];
    let body = { ok: true };
    if (path === '/api/auth.test') body = { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' };
    else if (path === '/api/chat.postMessage') { counts.postMessage++; ts++; body = { ok: true, ts: ts + '.000100' }; }
    else if (path === '/api/chat.update') counts.update++;
    else if (path.startsWith('/response/')) counts.responseUrl++;
    else counts.other++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
});
api.listen(0, '127.0.0.1', () => parentPort.postMessage({ apiPort: api.address().port }));

async function burst(port, requests) {
  const sockets = await Promise.all(requests.map(() => new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.setNoDelay(true);
    s.once('error', reject);
  })));
  return Promise.all(sockets.map((s, i) => new Promise((resolve) => {
    let head = '';
    let started = 0;
    s.on('data', (d) => {
      head += d.toString('latin1');
      if (head.includes('\\r\\n\\r\\n')) {
        resolve({ ms: performance.now() - started, status: Number(head.slice(9, 12)) });
        s.destroy();
      }
    });
    s.on('error', () => resolve({ ms: performance.now() - started, status: 0 }));
    started = performance.now();
    s.write(requests[i]);
  })));
}

parentPort.on('message', async (m) => {
  if (m.cmd === 'burst') parentPort.postMessage({ results: await burst(m.port, m.requests) });
  else if (m.cmd === 'counts') parentPort.postMessage({ counts });
  else if (m.cmd === 'close') api.close(() => parentPort.postMessage({ closed: true }));
});
`;

export interface SlackSide {
  readonly apiUrl: string;
  /** Writes every raw request at once; returns each one's time to response headers and status. */
  burst(port: number, requests: string[]): Promise<{ ms: number; status: number }[]>;
  counts(): Promise<{ postMessage: number; update: number; responseUrl: number; other: number }>;
  close(): Promise<void>;
}

export async function startSlackSide(): Promise<SlackSide> {
  const worker = new Worker(SLACK_SIDE, { eval: true });
  let failed: Error | undefined;
  worker.on('error', (error) => (failed = error));
  const next = <T>(key: string): Promise<T> =>
    new Promise((resolve, reject) => {
      if (failed) reject(failed);
      const onMessage = (m: Record<string, unknown>): void => {
        if (!(key in m)) return;
        worker.off('message', onMessage);
        resolve(m[key] as T);
      };
      worker.on('message', onMessage);
    });
  const apiPort = await next<number>('apiPort');
  return {
    apiUrl: `http://127.0.0.1:${apiPort}/api/`,
    burst(port, requests) {
      const answer = next<{ ms: number; status: number }[]>('results');
      worker.postMessage({ cmd: 'burst', port, requests });
      return answer;
    },
    counts() {
      const answer = next<{ postMessage: number; update: number; responseUrl: number; other: number }>('counts');
      worker.postMessage({ cmd: 'counts' });
      return answer;
    },
    async close() {
      const closed = next<boolean>('closed');
      worker.postMessage({ cmd: 'close' });
      await closed;
      await worker.terminate();
    },
  };
}
