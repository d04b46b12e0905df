import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { STARTTLS_PROTOCOLS } from '../../../bot/probe/starttls/schemes.js';
import { probeJson } from './helpers/run.js';

// Servers that misbehave before TLS must not crash a STARTTLS probe or make it buffer without
// bound: an endless line, random bytes, a close mid-reply, silence. The probe answers with the
// preamble's failure, in words, for every protocol.

const servers: Server[] = [];
const sockets = new Set<Socket>();
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
});

async function serve(behave: (socket: Socket) => void): Promise<number> {
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    behave(socket);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

const BEHAVIOURS: Record<string, (socket: Socket) => void> = {
  'an endless line': (s) => {
    const chunk = Buffer.alloc(16 * 1024, 0x41);
    const pump = (): void => void (s.destroyed || s.write(chunk, () => setImmediate(pump)));
    pump();
  },
  'random bytes': (s) => s.end(Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256))),
  'a close in the middle of a reply': (s) => s.end('220-mail.test ESMTP\r\n220-still'),
  silence: () => undefined,
};

describe.each(Object.keys(BEHAVIOURS))('a server that sends %s', (behaviour) => {
  it.each(STARTTLS_PROTOCOLS)('%s: the preamble fails with a reason, nothing thrown, nothing TLS judged', async (protocol) => {
    const port = await serve(BEHAVIOURS[behaviour] as (socket: Socket) => void);
    const json = await probeJson(`${protocol}://127.0.0.1:${port}`, { timeoutMs: 2000 });
    expect(json.speaksTls).not.toBe(true);
    expect(json.certificate).toBeNull();
    if (json.reachable && json.starttlsError) expect(json.starttlsError.message.length).toBeGreaterThan(10);
    expect(['tls-on-plain-port', 'handshake-aborted', 'connection-timeout']).toContain(json.cause);
  }, 30_000);
});
