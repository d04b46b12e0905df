// Real servers that upgrade to TLS, started on 127.0.0.1 in a temporary directory for the STARTTLS
// tests: OpenLDAP slapd (StartTLS), PostgreSQL (SSLRequest), MariaDB (the SSL capability). Each
// start returns a stop() that ends exactly the process it started.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort, type Peer } from './servers.js';

async function waitForPort(port: number, child: ChildProcess, log: () => string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${log()}`);
    const up = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port }, () => (s.destroy(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not listen on ${port}: ${log()}`);
}

function started(command: string, args: string[]): { child: ChildProcess; log: () => string } {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  return { child, log: () => output.slice(-2000) };
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
}

export interface TlsFiles {
  cert: string;
  key: string;
}

/** slapd with a slapd.conf; `tls` absent: no certificate configured (StartTLS refused). */
export async function startSlapd(dir: string, tls?: TlsFiles): Promise<Peer> {
  const port = await freePort();
  const base = join(dir, `slapd-${port}`);
  mkdirSync(join(base, 'db'), { recursive: true });
  const conf = join(base, 'slapd.conf');
  writeFileSync(conf, ['include /etc/ldap/schema/core.schema', `pidfile ${base}/slapd.pid`, ...(tls ? [`TLSCertificateFile ${tls.cert}`, `TLSCertificateKeyFile ${tls.key}`] : []), 'database ldif', `directory ${base}/db`, 'suffix "dc=tls-triage,dc=test"'].join('\n'));
  const { child, log } = started('/usr/sbin/slapd', ['-f', conf, '-h', `ldap://127.0.0.1:${port}/`, '-d', '0']);
  await waitForPort(port, child, log);
  return { port, stop: stopper(child) };
}

function postgresBin(): string {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  return `/usr/lib/postgresql/${versions[0]}/bin`;
}

/** A PostgreSQL cluster (initdb as user postgres), ssl on with the given certificate, or off. */
export async function startPostgres(dir: string, tls?: TlsFiles): Promise<Peer> {
  const port = await freePort();
  const base = join(dir, `pg-${port}`);
  mkdirSync(base, { recursive: true });
  chmodSync(dir, 0o755); // the postgres user must reach its directory
  chownSync(base, Number(execFileSync('id', ['-u', 'postgres']).toString()), 0);
  const asPostgres = ['--reuid=postgres', '--regid=postgres', '--init-groups'];
  execFileSync('setpriv', [...asPostgres, join(postgresBin(), 'initdb'), '-D', join(base, 'data'), '-A', 'trust', '-U', 'postgres'], { stdio: 'ignore' });
  const settings = ['-c', 'listen_addresses=127.0.0.1', '-c', `port=${port}`, '-c', `unix_socket_directories=${base}`, '-c', `ssl=${tls ? 'on' : 'off'}`];
  if (tls) {
    // The server reads its key only when the postgres user owns it and nobody else can.
    for (const [from, to] of [[tls.cert, 'server.crt'], [tls.key, 'server.key']] as const) {
      copyFileSync(from, join(base, to));
      chownSync(join(base, to), Number(execFileSync('id', ['-u', 'postgres']).toString()), 0);
      chmodSync(join(base, to), 0o600);
    }
    settings.push('-c', `ssl_cert_file=${join(base, 'server.crt')}`, '-c', `ssl_key_file=${join(base, 'server.key')}`);
  }
  const { child, log } = started('setpriv', [...asPostgres, join(postgresBin(), 'postgres'), '-D', join(base, 'data'), ...settings]);
  await waitForPort(port, child, log);
  return { port, stop: stopper(child) };
}

/** A MariaDB server (mariadb-install-db in a fresh data directory), with TLS or --skip-ssl. */
export async function startMariadb(dir: string, tls?: TlsFiles): Promise<Peer> {
  const port = await freePort();
  const base = join(dir, `my-${port}`);
  mkdirSync(base, { recursive: true });
  execFileSync('mariadb-install-db', ['--no-defaults', `--datadir=${base}/data`, '--user=root', '--auth-root-authentication-method=normal', '--skip-test-db'], { stdio: 'ignore' });
  const ssl = tls ? [`--ssl-cert=${tls.cert}`, `--ssl-key=${tls.key}`] : ['--skip-ssl'];
  const { child, log } = started('mariadbd', ['--no-defaults', '--user=root', `--datadir=${base}/data`, `--socket=${base}/sock`, `--pid-file=${base}/pid`, '--bind-address=127.0.0.1', `--port=${port}`, '--skip-networking=0', ...ssl]);
  await waitForPort(port, child, log);
  return { port, stop: stopper(child) };
}
