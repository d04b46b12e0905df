import type { CauseId } from '../../../../rules/index.js';
import { nodeServer, opensslClient, opensslServer, rawRequest, type Peer } from './peers.js';

// The handshakes the capture tests record on 127.0.0.1, each with what a correct reading of the
// capture must say: the cause, who sent the alert, and the ladder's key lines in order.

export interface Scenario {
  readonly id: string;
  readonly cause: CauseId;
  readonly team: string;
  /** The first fatal alert in clear, when the scenario has one, and the step it answered. */
  readonly alert?: { readonly from: 'client' | 'server'; readonly description: string; readonly after?: string };
  /** The ladder's headline, when it is not "The <side> ... sent a fatal <alert> alert". */
  readonly summary?: RegExp;
  /** Substrings of ladder lines, in the order they must appear. */
  readonly ladder: readonly string[];
  /** How many times the client runs (several connections of the same kind). */
  readonly connections: number;
  /** The server side speaks TLS: its alerts are cross-checked against tshark. */
  readonly tlsServer: boolean;
  readonly warnings?: readonly string[];
  run(port: number, dir: string): Promise<void>;
}

const TLS12 = ['-tls1_2'];
const KEYS = ['-cert', 'server.pem', '-key', 'server.key'];

/** An openssl s_server for the duration of `connections` s_client runs. */
function openssl(serverArgs: readonly string[], clientArgs: readonly string[], connections = 1): (port: number, dir: string) => Promise<void> {
  return async (port, dir) => {
    const server = await opensslServer(port, [...KEYS, ...serverArgs], dir);
    try {
      for (let i = 0; i < connections; i++) await opensslClient(port, clientArgs, dir);
    } finally {
      await server.stop();
    }
  };
}

function withNode(mode: 'echo' | 'reset', client: (port: number, dir: string) => Promise<unknown>): (port: number, dir: string) => Promise<void> {
  return async (port, dir) => {
    const server: Peer = await nodeServer(port, mode);
    try {
      await client(port, dir);
    } finally {
      await server.stop();
    }
  };
}

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'protocol-too-old',
    cause: 'protocol-too-old',
    team: 'client',
    alert: { from: 'server', description: 'protocol_version', after: "client's ClientHello" },
    ladder: ['client -> server  [SYN]', 'client -> server  ClientHello TLSv1 (max)', 'SNI old.example', 'server -> client  Alert fatal protocol_version'],
    connections: 3,
    tlsServer: true,
    run: openssl(['-no_tls1', '-no_tls1_1'], ['-tls1', '-cipher', 'DEFAULT@SECLEVEL=0', '-servername', 'old.example'], 3),
  },
  {
    id: 'protocol-too-new',
    cause: 'protocol-too-new',
    team: 'server',
    alert: { from: 'server', description: 'protocol_version', after: "client's ClientHello" },
    ladder: ['client -> server  ClientHello TLSv1.3 (supported_versions)', 'server -> client  Alert fatal protocol_version'],
    connections: 1,
    tlsServer: true,
    run: openssl(TLS12, ['-tls1_3']),
  },
  {
    id: 'client-cert-missing',
    cause: 'client-cert-missing',
    team: 'client',
    alert: { from: 'server', description: 'handshake_failure', after: "client's empty Certificate" },
    ladder: ['server -> client  ServerHello TLSv1.2', 'server -> client  CertificateRequest (CAs: CN=server.test)', 'client -> server  Certificate (empty: no certificate)', 'server -> client  Alert fatal handshake_failure'],
    connections: 1,
    tlsServer: true,
    run: openssl(['-Verify', '1', '-CAfile', 'server.pem'], TLS12),
  },
  {
    id: 'server-cert-untrusted',
    cause: 'server-cert-untrusted',
    team: 'client',
    alert: { from: 'client', description: 'unknown_ca', after: "server's Certificate" },
    ladder: ['server -> client  Certificate (1): CN=server.test (self-signed)', 'server -> client  ServerHelloDone', 'client -> server  Alert fatal unknown_ca'],
    connections: 1,
    tlsServer: true,
    run: openssl([], [...TLS12, '-verify_return_error']),
  },
  {
    id: 'no-shared-cipher',
    cause: 'no-shared-cipher',
    team: 'both',
    alert: { from: 'server', description: 'handshake_failure', after: "client's ClientHello" },
    ladder: ['client -> server  ClientHello TLSv1.2 (max), 2 suites', 'server -> client  Alert fatal handshake_failure'],
    connections: 1,
    tlsServer: true,
    run: openssl([...TLS12, '-cipher', 'ECDHE-ECDSA-AES128-SHA'], [...TLS12, '-cipher', 'ECDHE-ECDSA-AES256-GCM-SHA384']),
  },
  {
    id: 'plain-http',
    cause: 'plain-http-on-tls-port',
    team: 'client',
    summary: /^The client 127\.0\.0\.1:\d+ sent plain HTTP \("GET \/health HTTP\/1\.1"\) to 127\.0\.0\.1:\d+; the server closed the connection$/,
    ladder: ['client -> server  plain HTTP: "GET /health HTTP/1.1"', 'server -> client  [FIN]'],
    connections: 1,
    tlsServer: true,
    run: async (port, dir) => {
      const server = await opensslServer(port, KEYS, dir);
      try {
        await rawRequest(port, 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      } finally {
        await server.stop();
      }
    },
  },
  {
    id: 'tls-on-plain-port',
    cause: 'tls-on-plain-port',
    team: 'client',
    alert: { from: 'client', description: 'unexpected_message' },
    summary: /^The client 127\.0\.0\.1:\d+ sent a ClientHello; 127\.0\.0\.1:\d+ sent the same bytes back \(an echo\) \(frame \d+\)$/,
    ladder: ['client -> server  ClientHello', "server -> client  echoes the client's bytes back (not a TLS server)"],
    connections: 1,
    tlsServer: false,
    run: withNode('echo', (port, dir) => opensslClient(port, [], dir)),
  },
  {
    id: 'reset',
    cause: 'handshake-aborted',
    team: 'both',
    summary: /^The server 127\.0\.0\.1:\d+ reset the connection after the client's ClientHello \(frame \d+\), without an alert$/,
    ladder: ['client -> server  ClientHello', 'server -> client  [RST]'],
    connections: 1,
    tlsServer: false,
    run: withNode('reset', (port, dir) => opensslClient(port, [], dir)),
  },
  {
    id: 'tls13-untrusted',
    cause: 'server-cert-untrusted',
    team: 'client',
    // OpenSSL sends this TLS 1.3 alert in clear: its handshake keys are not in use for writing yet.
    alert: { from: 'client', description: 'unknown_ca', after: "server's encrypted flight" },
    ladder: ['server -> client  ServerHello TLSv1.3', 'server -> client  encrypted', 'client -> server  Alert fatal unknown_ca'],
    connections: 1,
    tlsServer: true,
    run: openssl([], ['-verify_return_error']),
  },
  {
    id: 'healthy-tls11',
    cause: 'healthy',
    team: 'none',
    ladder: ['server -> client  ServerHello TLSv1.1', 'client -> server  ChangeCipherSpec', 'server -> client  ChangeCipherSpec'],
    connections: 1,
    tlsServer: true,
    warnings: ['legacy-protocol-enabled'],
    run: openssl(['-cipher', 'DEFAULT@SECLEVEL=0'], ['-tls1_1', '-cipher', 'DEFAULT@SECLEVEL=0', '-CAfile', 'server.pem']),
  },
  {
    // The client's key share (X25519) is not in the server's groups: it asks again for P-384.
    id: 'hello-retry',
    cause: 'healthy',
    team: 'none',
    ladder: ['client -> server  ClientHello TLSv1.3', 'server -> client  HelloRetryRequest TLSv1.3', 'client -> server  ClientHello TLSv1.3', 'server -> client  ServerHello TLSv1.3', 'server -> client  encrypted'],
    connections: 1,
    tlsServer: true,
    run: openssl(['-groups', 'P-384'], ['-CAfile', 'server.pem', '-servername', 'server.test']),
  },
  {
    id: 'healthy',
    cause: 'healthy',
    team: 'none',
    ladder: ['client -> server  ClientHello TLSv1.3, TLSv1.2', 'SNI server.test', 'server -> client  ServerHello TLSv1.3, TLS_AES_256_GCM_SHA384', 'client -> server  encrypted'],
    connections: 1,
    tlsServer: true,
    run: openssl([], ['-CAfile', 'server.pem', '-servername', 'server.test', '-verify_return_error']),
  },
];
