// A test PKI made with the openssl CLI for every run, into a temp dir: a private root (P-256) ->
// an RSA intermediate -> leaves for each case a certificate check must tell apart. Back-dated and
// future-dated certificates come from `openssl ca` (`openssl x509` 3.0 cannot set dates).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CertPki {
  readonly dir: string;
  /** Absolute path of a file in the PKI directory. */
  file(name: string): string;
  read(name: string): string;
  cleanup(): void;
}

export const SERVER_SANS = ['DNS:api.test', 'DNS:www.api.test', 'IP:127.0.0.1'];

const ext = (eku: string, sans = SERVER_SANS.join(',')): string =>
  ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', `extendedKeyUsage=${eku}`, `subjectAltName=${sans}`].join('\n');

export function generateCertPki(): CertPki {
  const dir = mkdtempSync(join(tmpdir(), 'cert-pki-'));
  const f = (n: string): string => join(dir, n);
  const ossl = (args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const cat = (out: string, ...names: string[]): void => writeFileSync(f(out), names.map((n) => readFileSync(f(n), 'utf8')).join(''));
  writeFileSync(f('server.ext'), ext('serverAuth'));
  writeFileSync(f('client.ext'), ext('clientAuth', 'email:alice@example.test'));
  writeFileSync(f('ca.ext'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n');

  ossl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'root.key', '-out', 'root.pem', '-days', '3650', '-subj', '/O=tls-triage tests/CN=Cert Test Root', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  ossl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'inter.key', '-out', 'inter.csr', '-subj', '/O=tls-triage tests/CN=Cert Test Intermediate']);
  ossl(['x509', '-req', '-in', 'inter.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial', '-days', '1825', '-extfile', 'ca.ext', '-out', 'inter.pem']);
  // One RSA-2048 key for the leaves (key generation is the slow part), a 1024-bit one for the weak case.
  ossl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'leaf.key']);
  ossl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024', '-out', 'weak.key']);
  const csr = (name: string, subj: string, key = 'leaf.key'): void => ossl(['req', '-new', '-key', key, '-out', `${name}.csr`, '-subj', subj]);
  const sign = (name: string, extfile: string, days: string, extra: string[] = []): void =>
    ossl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'inter.pem', '-CAkey', 'inter.key', '-CAcreateserial', '-days', days, '-extfile', extfile, ...extra, '-out', `${name}.pem`]);

  csr('server', '/O=tls-triage tests/CN=api.test');
  sign('server', 'server.ext', '90');
  csr('client', '/O=tls-triage tests/CN=alice');
  sign('client', 'client.ext', '90');
  // A "client certificate" issued with the server profile: EKU serverAuth only, no clientAuth.
  csr('client-noauth', '/O=tls-triage tests/CN=batch-job');
  sign('client-noauth', 'server.ext', '90');
  csr('soon', '/O=tls-triage tests/CN=soon.api.test');
  sign('soon', 'server.ext', '10');
  // OpenSSL 3.0 still signs with SHA-1 when asked (security levels apply to TLS, not to `x509 -req`).
  csr('sha1', '/O=tls-triage tests/CN=sha1.api.test');
  sign('sha1', 'server.ext', '90', ['-sha1']);
  csr('rsa1024', '/O=tls-triage tests/CN=rsa1024.api.test', 'weak.key');
  sign('rsa1024', 'server.ext', '90');
  ossl(['req', '-x509', '-key', 'leaf.key', '-out', 'selfsigned.pem', '-days', '90', '-subj', '/CN=self.api.test', '-addext', 'basicConstraints=critical,CA:FALSE', '-addext', 'extendedKeyUsage=serverAuth', '-addext', 'subjectAltName=DNS:self.api.test']);

  writeFileSync(f('index.txt'), '');
  writeFileSync(f('serial'), '1000\n');
  writeFileSync(
    f('ca.cnf'),
    ['[ca]', 'default_ca=ca', '[ca]', `dir=${dir}`, 'database=$dir/index.txt', 'serial=$dir/serial', 'new_certs_dir=$dir',
      'certificate=$dir/inter.pem', 'private_key=$dir/inter.key', 'default_md=sha256', 'policy=any', 'unique_subject=no', 'copy_extensions=none',
      '[any]', 'commonName=supplied', 'organizationName=optional', '[server]', ...ext('serverAuth').split('\n'), '[client]', ...ext('clientAuth', 'email:alice@example.test').split('\n')].join('\n'),
  );
  // -preserveDN: keep the request's name order (O, CN) instead of the policy's.
  const dated = (out: string, section: 'server' | 'client', from: string, to: string): void =>
    ossl(['ca', '-batch', '-preserveDN', '-config', 'ca.cnf', '-extensions', section, '-in', `${section}.csr`, '-startdate', from, '-enddate', to, '-notext', '-out', `${out}.pem`]);
  dated('expired-server', 'server', '20200101000000Z', '20200301000000Z');
  dated('expired-client', 'client', '20200101000000Z', '20200301000000Z');
  dated('future-server', 'server', '20990101000000Z', '20991231000000Z');

  cat('chain.pem', 'server.pem', 'inter.pem');
  cat('full-chain.pem', 'server.pem', 'inter.pem', 'root.pem');
  cat('wrong-order.pem', 'inter.pem', 'server.pem');
  cat('leaf-and-root.pem', 'server.pem', 'root.pem');
  cat('expired-server-chain.pem', 'expired-server.pem', 'inter.pem');
  cat('expired-client-chain.pem', 'expired-client.pem', 'inter.pem');
  cat('client-chain.pem', 'client.pem', 'inter.pem');
  cat('client-noauth-chain.pem', 'client-noauth.pem', 'inter.pem');
  cat('soon-chain.pem', 'soon.pem', 'inter.pem');
  cat('sha1-chain.pem', 'sha1.pem', 'inter.pem');
  cat('rsa1024-chain.pem', 'rsa1024.pem', 'inter.pem');
  ossl(['crl2pkcs7', '-nocrl', '-certfile', 'chain.pem', '-out', 'chain.p7b']);
  ossl(['crl2pkcs7', '-nocrl', '-certfile', 'expired-server-chain.pem', '-outform', 'DER', '-out', 'expired-chain.p7b']);
  ossl(['x509', '-in', 'expired-server.pem', '-outform', 'DER', '-out', 'expired-server.der']);
  ossl(['x509', '-in', 'server.pem', '-outform', 'DER', '-out', 'server.der']);
  return { dir, file: f, read: (n) => readFileSync(f(n), 'utf8'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** What `openssl x509 -noout -serial -subject -ext subjectAltName -enddate` says, in the report's notation. */
export interface OpensslFacts {
  serial: string;
  subject: string;
  sans: string[];
  notAfter: string;
  daysLeft: number;
}

export function opensslFacts(pemOrDerFile: string, der = false): OpensslFacts {
  const out = execFileSync('openssl', ['x509', ...(der ? ['-inform', 'DER'] : []), '-in', pemOrDerFile, '-noout', '-serial', '-subject', '-ext', 'subjectAltName', '-enddate'], { encoding: 'utf8' });
  const field = (name: string): string => (out.match(new RegExp(`^${name}=(.*)$`, 'm'))?.[1] ?? '').trim();
  const sanLine = out.match(/Subject Alternative Name:\s*\n\s*(.*)$/m)?.[1] ?? '';
  const notAfter = new Date(field('notAfter')).toISOString();
  return {
    serial: field('serial'),
    // openssl writes "O = x, CN = y"; the report writes RFC 4514 style "O=x, CN=y".
    subject: field('subject').replace(/ = /g, '='),
    sans: sanLine ? sanLine.split(', ').map((s) => s.replace(/^IP Address:/, 'IP:')) : [],
    notAfter,
    daysLeft: Math.floor((Date.parse(notAfter) - Date.now()) / 86_400_000),
  };
}

const VERIFY_ERRORS: Readonly<Record<string, string>> = {
  '2': 'UNABLE_TO_GET_ISSUER_CERT',
  '9': 'CERT_NOT_YET_VALID',
  '10': 'CERT_HAS_EXPIRED',
  '18': 'DEPTH_ZERO_SELF_SIGNED_CERT',
  '19': 'SELF_SIGNED_CERT_IN_CHAIN',
  '20': 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
};

/**
 * `openssl verify [-CAfile ca] -untrusted file leaf`: whether it verifies and the first error's
 * name. -no-CApath/-no-CAfile keep the host's store out (the test PKI's root is private anyway).
 */
export function opensslVerify(leafFile: string, untrustedFile: string, caFile?: string): { ok: boolean; error: string | null } {
  const args = ['verify', '-no-CApath', '-no-CAstore', ...(caFile ? ['-CAfile', caFile] : ['-no-CAfile']), '-untrusted', untrustedFile, leafFile];
  try {
    execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: true, error: null };
  } catch (error) {
    const output = `${(error as { stdout?: string }).stdout ?? ''}${(error as { stderr?: string }).stderr ?? ''}`;
    const code = output.match(/error (\d+) at \d+ depth lookup/)?.[1];
    return { ok: false, error: code ? (VERIFY_ERRORS[code] ?? `openssl error ${code}`) : 'unparsed' };
  }
}
