// Extra certificates for the chain-verdict tests, generated with the openssl CLI beside a TestPki:
// a SHA-1 intermediate (and a leaf under it), an RSA-1024 leaf, a self-signed leaf whose key usage
// lacks keyCertSign, and a leaf whose issuer carries the name of a root without being signed by it.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestPki } from './certs.js';

export interface WeakCerts {
  sha1InterFile: string;
  sha1LeafFile: string;
  rsa1024Key: string;
  rsa1024LeafFile: string;
  selfSignedDigitalSignatureFile: string;
  /** DH parameters of 1024 bits (a second or so to generate). */
  dh1024File: string;
}

function ossl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

const LEAF_EXT = 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n';

export function generateWeakCerts(pki: TestPki): WeakCerts {
  const dir = pki.dir;
  writeFileSync(join(dir, 'weak-leaf.ext'), LEAF_EXT);
  // Intermediate signed by the test root with SHA-1; a SHA-256 leaf under it.
  ossl(dir, ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'sha1inter.key', '-out', 'sha1inter.csr', '-subj', '/O=tls-triage tests/CN=SHA-1 Intermediate']);
  ossl(dir, ['x509', '-req', '-sha1', '-in', 'sha1inter.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial', '-days', '365', '-extfile', 'ca.ext', '-out', 'sha1inter.pem']);
  ossl(dir, ['x509', '-req', '-in', 'leaf.csr', '-CA', 'sha1inter.pem', '-CAkey', 'sha1inter.key', '-CAcreateserial', '-days', '90', '-extfile', 'weak-leaf.ext', '-out', 'sha1leaf.pem']);
  // RSA-1024 leaf under the normal intermediate.
  ossl(dir, ['req', '-new', '-newkey', 'rsa:1024', '-nodes', '-keyout', 'rsa1024.key', '-out', 'rsa1024.csr', '-subj', '/CN=localhost']);
  ossl(dir, ['x509', '-req', '-in', 'rsa1024.csr', '-CA', 'inter.pem', '-CAkey', 'inter.key', '-CAcreateserial', '-days', '90', '-extfile', 'weak-leaf.ext', '-out', 'rsa1024.pem']);
  // Self-signed with keyUsage digitalSignature only (no keyCertSign): still self-signed.
  ossl(dir, ['req', '-x509', '-key', 'leaf.key', '-out', 'selfsigned-ds.pem', '-days', '30', '-subj', '/CN=localhost', '-addext', 'keyUsage=critical,digitalSignature,keyEncipherment', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1']);
  // Not -dsaparam: its X9.42 form is refused by s_server -dhparam.
  ossl(dir, ['dhparam', '-out', 'dh1024.pem', '1024']);
  const f = (n: string): string => join(dir, n);
  return {
    sha1InterFile: f('sha1inter.pem'),
    sha1LeafFile: f('sha1leaf.pem'),
    rsa1024Key: f('rsa1024.key'),
    rsa1024LeafFile: f('rsa1024.pem'),
    selfSignedDigitalSignatureFile: f('selfsigned-ds.pem'),
    dh1024File: f('dh1024.pem'),
  };
}
