import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Private keys and key bundles made by the real tools (openssl, ssh-keygen), in every form people
// paste: PKCS#8, traditional RSA, encrypted PKCS#8, OpenSSH, plus DER and PKCS#12 files.
export interface TestKeys {
  pkcs8: string;
  rsaTraditional: string;
  encrypted: string;
  openssh: string;
  certificate: string;
  certificateDer: Buffer;
  keyDer: Buffer;
  pkcs12: Buffer;
}

export function generateKeys(): TestKeys {
  const dir = mkdtempSync(join(tmpdir(), 'tls-triage-keys-'));
  const run = (cmd: string, args: string[]): void => void execFileSync(cmd, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    run('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'ec.key']);
    run('openssl', ['genrsa', '-traditional', '-out', 'rsa.key', '1024']);
    run('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-aes256', '-pass', 'pass:secret', '-out', 'enc.key']);
    run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', 'id_ed25519']);
    run('openssl', ['req', '-x509', '-key', 'ec.key', '-out', 'cert.pem', '-days', '30', '-subj', '/CN=keys.test']);
    run('openssl', ['x509', '-in', 'cert.pem', '-outform', 'DER', '-out', 'cert.der']);
    run('openssl', ['pkey', '-in', 'ec.key', '-outform', 'DER', '-out', 'ec.der']);
    run('openssl', ['pkcs12', '-export', '-inkey', 'ec.key', '-in', 'cert.pem', '-passout', 'pass:secret', '-out', 'bundle.p12']);
    const text = (name: string): string => readFileSync(join(dir, name), 'utf8');
    return {
      pkcs8: text('ec.key'),
      rsaTraditional: text('rsa.key'),
      encrypted: text('enc.key'),
      openssh: text('id_ed25519'),
      certificate: text('cert.pem'),
      certificateDer: readFileSync(join(dir, 'cert.der')),
      keyDer: readFileSync(join(dir, 'ec.der')),
      pkcs12: readFileSync(join(dir, 'bundle.p12')),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The base64 body of a PEM block: what must never reach the store or a reply. */
export function pemBody(pem: string): string {
  return pem.split('\n').filter((l) => l && !l.startsWith('-----')).join('');
}
