// The clients installed here, run for real against a test server: did the handshake complete?
// Each verifies the server as it does by default, with the test root trusted, so that trust does
// not decide but the limits a verifying client enforces (key sizes) still do. Go is not installed
// here: no Go entry.
import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

function run(cmd: string, args: string[], timeout = 60_000): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { timeout }, (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }));
    child.stdin?.end('');
  });
}

/** A PKCS#12 trust store holding the test root, for the Java client. */
export function javaTrustStore(dir: string, rootFile: string): string {
  const store = join(dir, 'trust.p12');
  execFileSync('keytool', ['-importcert', '-noprompt', '-alias', 'root', '-file', rootFile, '-keystore', store, '-storetype', 'PKCS12', '-storepass', 'changeit'], { stdio: 'ignore' });
  return store;
}

export interface TrustFiles {
  /** PEM of the test root, for the clients that take one. */
  rootFile: string;
  /** PKCS#12 trust store with the test root, for Java. */
  trustStore: string;
}

export const REAL_CLIENTS: Record<string, (port: number, trust: TrustFiles) => Promise<boolean>> = {
  'openssl-3': async (port, t) => (await run('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', '-CAfile', t.rootFile, '-verify_return_error', '-brief'])).out.includes('CONNECTION ESTABLISHED'),
  curl: async (port, t) => (await run('curl', ['-s', '-o', '/dev/null', '--max-time', '10', '--cacert', t.rootFile, '--resolve', `localhost:${port}:127.0.0.1`, `https://localhost:${port}/`])).code === 0,
  'python-requests': async (port, t) =>
    (await run('python3', ['-c', `import requests\ntry:\n    requests.get('https://127.0.0.1:${port}/', verify='${t.rootFile}', timeout=10)\n    print('OK')\nexcept Exception as e:\n    print('FAILED', e)`])).out.startsWith('OK'),
  'java-17': async (port, t) =>
    (await run('java', [`-Djavax.net.ssl.trustStore=${t.trustStore}`, '-Djavax.net.ssl.trustStorePassword=changeit', join(here, 'Handshake.java'), String(port)])).out.startsWith('OK'),
  'node-20': async (port, t) =>
    (await run(process.execPath, ['-e', `const s = require('tls').connect({ host: '127.0.0.1', port: ${port}, servername: 'localhost', ca: require('fs').readFileSync('${t.rootFile}') }, () => { console.log('OK'); s.destroy(); }); s.on('error', (e) => console.log('FAILED', e.code));`])).out.startsWith('OK'),
};
