// Captures the ClientHello of the clients installed here with the listener (bot/listen) and prints
// them as client profiles (rules/catalog/client-profiles.json format). The clients reach the
// listener under the name client-capture.test (mapped to 127.0.0.1 for each), so they send SNI as
// they would to a real host. Run: npx tsx scripts/profiles/capture-clients.ts [id...]
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runListener } from '../../bot/listen/listener.js';
import { helloFields } from './to-profile.js';

const HOST = 'client-capture.test';
const here = dirname(fileURLToPath(import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'capture-'));
writeFileSync(join(work, 'hosts'), `127.0.0.1 ${HOST}\n`);

const run = (cmd: string, args: string[], input = ''): Promise<string> =>
  new Promise((resolve) => {
    const child = execFile(cmd, args, { timeout: 30_000 }, (_e, stdout, stderr) => resolve(`${stdout}${stderr}`));
    child.stdin?.end(input);
  });

const CLIENTS: Record<string, { command: (port: number) => [string, string[]]; version: () => Promise<string> }> = {
  'openssl-3': {
    command: (port) => ['openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', HOST]],
    version: async () => (await run('openssl', ['version'])).trim(),
  },
  curl: {
    command: (port) => ['curl', ['-s', '--resolve', `${HOST}:${port}:127.0.0.1`, `https://${HOST}:${port}/`]],
    version: async () => (await run('curl', ['--version'])).split('\n')[0] ?? '',
  },
  'python-requests': {
    command: (port) => ['python3', ['-c', `import socket, requests\nreal = socket.getaddrinfo\nsocket.getaddrinfo = lambda host, *a, **k: real('127.0.0.1' if host == '${HOST}' else host, *a, **k)\ntry:\n    requests.get('https://${HOST}:${port}/', timeout=10)\nexcept Exception:\n    pass`]],
    version: async () => (await run('python3', ['-c', 'import sys, ssl, requests, urllib3; print(f"requests {requests.__version__}, urllib3 {urllib3.__version__}, Python {sys.version.split()[0]}, {ssl.OPENSSL_VERSION}")'])).trim(),
  },
  'java-17': {
    command: (port) => ['java', [`-Djdk.net.hosts.file=${join(work, 'hosts')}`, join(here, 'clients', 'TlsClient.java'), `https://${HOST}:${port}/`]],
    version: async () => (await run('java', ['-version'])).split('\n').slice(0, 2).join('; '),
  },
  'node-20': {
    command: (port) => [process.execPath, ['-e', `require('https').get({ host: '${HOST}', port: ${port}, path: '/', lookup: (h, o, cb) => o && o.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4) }).on('error', () => {})`]],
    version: async () => `Node.js ${process.version} (OpenSSL ${process.versions.openssl})`,
  },
};

const wanted = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(CLIENTS);
const profiles: unknown[] = [];
for (const id of wanted) {
  const client = CLIENTS[id];
  if (!client) throw new Error(`unknown client ${id}`);
  let port = 0;
  let ready: () => void = () => undefined;
  const up = new Promise<void>((r) => (ready = r));
  const listening = runListener({ host: '127.0.0.1', port: 0, seconds: 60, count: 1, requestCert: false, versions: ['TLSv1.2', 'TLSv1.3'], onListening: (w) => ((port = w.port), ready()) });
  await up;
  const [cmd, args] = client.command(port);
  await run(cmd, args);
  const result = await listening;
  const c = result.connections[0];
  if (!c?.hello) throw new Error(`${id}: no ClientHello captured (${c?.outcome})`);
  profiles.push({
    id,
    version: await client.version(),
    source: { kind: 'capture', detail: `${[cmd.replace(/.*\//, ''), ...args].join(' ').replace(/\s+/g, ' ').slice(0, 400)} against tls-triage listen on 127.0.0.1 (scripts/profiles/capture-clients.ts)`, date: new Date().toISOString().slice(0, 10) },
    ...helloFields(c.hello, c.hello.recordVersion ?? 0x0301),
  });
}
rmSync(work, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify(profiles, null, 2)}\n`);
