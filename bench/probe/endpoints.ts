// The loopback suite of the probe benchmark: openssl s_server / HTTP / closed-port endpoints, each
// with what is true of it (the fields every tool is scored on). The PKI is test/'s generator.
import { generatePki, type TestPki } from '../../test/bot/probe/helpers/certs.js';
import { closedPort, startHttpServer, startSServer, type Peer } from '../../test/bot/probe/helpers/servers.js';
import { generateWeakCerts } from '../../test/bot/probe/helpers/weak-certs.js';

export type Field = 'SSLv3' | 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3' | 'selfSigned' | 'trusted' | 'clientCertRequested' | 'weakCipher';
export const FIELDS: readonly Field[] = ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3', 'selfSigned', 'trusted', 'clientCertRequested', 'weakCipher'];
export type Truth = Partial<Record<Field, boolean>>;

export interface Endpoint {
  name: string;
  port: number;
  /** Give the test root as a trust anchor (--ca, testssl --add-ca): the chain is meant to be trusted. */
  withCa: boolean;
  truth: Truth;
}

export interface Suite {
  pki: TestPki;
  endpoints: Endpoint[];
  stop(): Promise<void>;
}

const modern = { SSLv3: false, TLSv1: false, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': true };
const tls12 = { ...modern, 'TLSv1.3': false };

export async function startSuite(): Promise<Suite> {
  const pki = generatePki();
  const weak = generateWeakCerts(pki);
  const peers: Peer[] = [];
  const endpoints: Endpoint[] = [];
  const chain = ['-cert', pki.leafCert, '-key', pki.leafKey, '-cert_chain', pki.interFile];
  const add = async (name: string, args: string[], withCa: boolean, truth: Truth): Promise<void> => {
    const peer = await startSServer(args);
    peers.push(peer);
    endpoints.push({ name, port: peer.port, withCa, truth });
  };
  const certOk = { selfSigned: false, clientCertRequested: false, weakCipher: false };
  await add('modern', chain, true, { ...modern, ...certOk, trusted: true });
  await add('private-ca', chain, false, { ...modern, ...certOk, trusted: false });
  await add('incomplete', ['-cert', pki.leafCert, '-key', pki.leafKey], true, { ...modern, ...certOk, trusted: false });
  await add('self-signed', ['-cert', weak.selfSignedDigitalSignatureFile, '-key', pki.leafKey], false, { ...modern, ...certOk, selfSigned: true, trusted: false });
  // @SECLEVEL=0 lets s_server do TLS 1.0 and 1.1 as well.
  await add('sha1-intermediate', ['-cert', weak.sha1LeafFile, '-key', pki.leafKey, '-cert_chain', weak.sha1InterFile, '-cipher', 'DEFAULT:@SECLEVEL=0'], true, { ...modern, TLSv1: true, 'TLSv1.1': true, ...certOk, trusted: false });
  await add('expired', ['-cert', pki.expiredCert, '-key', pki.leafKey, '-cert_chain', pki.interFile], true, { ...modern, ...certOk, trusted: false });
  await add('tls13-client-cert-required', [...chain, '-tls1_3', '-Verify', '1', '-CAfile', pki.clientCaFile], true, { ...modern, 'TLSv1.2': false, ...certOk, trusted: true, clientCertRequested: true });
  await add('tls12-client-cert-optional', [...chain, '-no_tls1_3', '-verify', '1', '-CAfile', pki.clientCaFile], true, { ...tls12, ...certOk, trusted: true, clientCertRequested: true });
  await add('legacy-1.0-1.1', [...chain, '-no_tls1_2', '-no_tls1_3', '-cipher', 'DEFAULT:@SECLEVEL=0'], true, { ...modern, TLSv1: true, 'TLSv1.1': true, 'TLSv1.2': false, 'TLSv1.3': false, ...certOk, trusted: true });
  await add('null-only', [...chain, '-no_tls1_3', '-cipher', 'NULL-SHA256:@SECLEVEL=0'], true, { ...tls12, ...certOk, weakCipher: true });
  await add('dh-1024', [...chain, '-no_tls1_3', '-dhparam', weak.dh1024File, '-cipher', 'DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0'], true, { ...tls12, ...certOk, trusted: true, weakCipher: true });
  const http = await startHttpServer();
  peers.push(http);
  endpoints.push({ name: 'plain-http', port: http.port, withCa: false, truth: { SSLv3: false, TLSv1: false, 'TLSv1.1': false, 'TLSv1.2': false, 'TLSv1.3': false } });
  endpoints.push({ name: 'closed-port', port: await closedPort(), withCa: false, truth: { SSLv3: false, TLSv1: false, 'TLSv1.1': false, 'TLSv1.2': false, 'TLSv1.3': false } });
  return {
    pki,
    endpoints,
    async stop() {
      await Promise.all(peers.map((p) => p.stop()));
      pki.cleanup();
    },
  };
}
