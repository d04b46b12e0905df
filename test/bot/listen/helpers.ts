// Real clients for the listener tests: `openssl s_client` with chosen versions, suites, SNI, ALPN,
// groups, signature algorithms and client certificates, on 127.0.0.1 only.
import { execFile } from 'node:child_process';
import { connect } from 'node:net';

export function sClient(port: number, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = execFile('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, ...args], { timeout: 15_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
    child.stdin?.end('');
  });
}

/** Sends raw bytes and hangs up after `waitMs`: plain HTTP, garbage, a silent TCP connection. */
export function rawClient(port: number, bytes: Buffer | string, waitMs = 300): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: '127.0.0.1', port }, () => {
      if (bytes.length > 0) socket.write(bytes);
      setTimeout(() => socket.destroy(), waitMs);
    });
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(Buffer.concat(chunks)));
  });
}
