// Test PKI generated with the openssl CLI into a temp dir: root CA -> intermediate -> leaf, plus
// an expired leaf, a self-signed leaf and a client-auth CA. Leaves use one RSA-2048 key (RSA
// suites such as AES256-SHA need an RSA certificate); CAs use P-256 (fast to generate).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPki {
  dir: string;
  rootPem: string;
  rootFile: string;
  interFile: string;
  /** intermediate + root, for a server that (uselessly) sends its root too. */
  chainWithRootFile: string;
  leafKey: string;
  leafCert: string;
  expiredCert: string;
  selfSignedCert: string;
  clientCaFile: string;
  /** RFC 4514 form of the client CA subject, as the engine should report it. */
  clientCaDn: string;
  cleanup(): void;
}

function ossl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

const LEAF_EXT = [
  'basicConstraints=critical,CA:FALSE',
  'keyUsage=critical,digitalSignature,keyEncipherment',
  'extendedKeyUsage=serverAuth',
  'subjectAltName=DNS:localhost,DNS:probe.test,IP:127.0.0.1,IP:::1',
].join('\n');
const CA_EXT = 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n';

function selfSignedCa(dir: string, name: string, subj: string): void {
  ossl(dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '3650', '-subj', subj, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
}

export function generatePki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'probe-pki-'));
  writeFileSync(join(dir, 'leaf.ext'), LEAF_EXT);
  writeFileSync(join(dir, 'ca.ext'), CA_EXT);
  selfSignedCa(dir, 'root', '/O=tls-triage tests/CN=Probe Test Root');
  selfSignedCa(dir, 'clientca', '/O=tls-triage tests/CN=Probe Client CA');
  // Intermediate signed by root.
  ossl(dir, ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'inter.key', '-out', 'inter.csr', '-subj', '/O=tls-triage tests/CN=Probe Test Intermediate']);
  ossl(dir, ['x509', '-req', '-in', 'inter.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial', '-days', '1825', '-extfile', 'ca.ext', '-out', 'inter.pem']);
  // Leaf signed by intermediate.
  ossl(dir, ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=localhost']);
  ossl(dir, ['x509', '-req', '-in', 'leaf.csr', '-CA', 'inter.pem', '-CAkey', 'inter.key', '-CAcreateserial', '-days', '90', '-extfile', 'leaf.ext', '-out', 'leaf.pem']);
  // Expired leaf: `openssl x509` (3.0) cannot back-date, `openssl ca` can.
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  writeFileSync(
    join(dir, 'ca.cnf'),
    ['[ca]', 'default_ca=ca', '[ca]', `dir=${dir}`, 'database=$dir/index.txt', 'serial=$dir/serial', 'new_certs_dir=$dir',
      'certificate=$dir/inter.pem', 'private_key=$dir/inter.key', 'default_md=sha256', 'policy=any', 'unique_subject=no', 'copy_extensions=none',
      '[any]', 'commonName=supplied', '[leaf]', ...LEAF_EXT.split('\n')].join('\n'),
  );
  ossl(dir, ['ca', '-batch', '-config', 'ca.cnf', '-extensions', 'leaf', '-in', 'leaf.csr', '-startdate', '20200101000000Z', '-enddate', '20200301000000Z', '-notext', '-out', 'expired.pem']);
  // Self-signed leaf with the same key.
  ossl(dir, ['req', '-x509', '-key', 'leaf.key', '-out', 'selfsigned.pem', '-days', '30', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1']);
  const f = (n: string): string => join(dir, n);
  writeFileSync(f('chain-with-root.pem'), readFileSync(f('inter.pem'), 'utf8') + readFileSync(f('root.pem'), 'utf8'));
  return {
    dir,
    rootPem: readFileSync(f('root.pem'), 'utf8'),
    rootFile: f('root.pem'),
    interFile: f('inter.pem'),
    chainWithRootFile: f('chain-with-root.pem'),
    leafKey: f('leaf.key'),
    leafCert: f('leaf.pem'),
    expiredCert: f('expired.pem'),
    selfSignedCert: f('selfsigned.pem'),
    clientCaFile: f('clientca.pem'),
    clientCaDn: 'O=tls-triage tests, CN=Probe Client CA',
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
