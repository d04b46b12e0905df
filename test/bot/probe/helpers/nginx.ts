// An nginx TLS server on 127.0.0.1 for the probe tests: its own prefix directory (config, pid, logs,
// temp paths) under the test PKI's directory, started in the foreground and stopped by its pid.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, type Peer } from './servers.js';
import { connect } from 'node:net';

export interface NginxTls {
  certChainFile: string;
  keyFile: string;
  /** Extra server-block lines, e.g. ssl_verify_client. */
  extra?: string[];
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const up = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port }, () => (s.destroy(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nginx did not listen on ${port}`);
}

export async function startNginx(dir: string, tls: NginxTls): Promise<Peer> {
  const port = await freePort();
  const prefix = join(dir, `nginx-${port}`);
  mkdirSync(join(prefix, 'logs'), { recursive: true });
  const conf = join(prefix, 'nginx.conf');
  writeFileSync(
    conf,
    [
      'worker_processes 1;',
      `pid ${join(prefix, 'nginx.pid')};`,
      `error_log ${join(prefix, 'logs', 'error.log')};`,
      'events { worker_connections 256; }',
      'http {',
      `  access_log off; client_body_temp_path ${prefix}/b; proxy_temp_path ${prefix}/p; fastcgi_temp_path ${prefix}/f; uwsgi_temp_path ${prefix}/u; scgi_temp_path ${prefix}/s;`,
      '  server {',
      `    listen 127.0.0.1:${port} ssl;`,
      '    server_name localhost;',
      `    ssl_certificate ${tls.certChainFile};`,
      `    ssl_certificate_key ${tls.keyFile};`,
      '    ssl_protocols TLSv1.2 TLSv1.3;',
      ...(tls.extra ?? []).map((l) => `    ${l}`),
      '    location / { return 200 "ok\\n"; }',
      '  }',
      '}',
    ].join('\n'),
  );
  const child = spawn('nginx', ['-p', prefix, '-c', conf, '-g', 'daemon off; master_process off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`nginx exited ${code}: ${stderr}`))));
  await Promise.race([waitForPort(port, 10_000), exited]);
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
