import { hostOf } from './host-port.js';
import type { LineContext } from './types.js';
import type { Role, Vantage } from './vocabulary.js';

// Roles are relative to the handshake; people act on names. This turns a role plus what the log
// says about its writer into the party that acts, as a noun phrase ("the client at 10.1.2.3",
// "the Java application that wrote this log", "DataPower's front side, where it is the TLS server
// (ssl-server(MyProfile), domain default)"). The renderers put it into one sentence after the team
// ("Who acts: the client team (@tls-clients), for the client at 10.1.2.3."), so nothing here says
// "team" or "owner".

/** How people write the software a `source` id names. */
const SOFTWARE: Readonly<Record<string, string>> = {
  java: 'Java', go: 'Go', python: 'Python', node: 'Node.js', php: 'PHP', perl: 'Perl', ruby: 'Ruby',
  curl: 'curl', openssl: 'OpenSSL', gnutls: 'GnuTLS', mbedtls: 'mbed TLS', rustls: 'rustls', nss: 'NSS',
  schannel: 'Windows Schannel / .NET', chromium: 'Chromium', android: 'Android', erlang: 'Erlang',
  nginx: 'nginx', apache: 'Apache httpd', haproxy: 'HAProxy', envoy: 'Envoy', traefik: 'Traefik',
  stunnel: 'stunnel', grpc: 'gRPC', postgresql: 'PostgreSQL', mysql: 'MySQL', mongodb: 'MongoDB',
  redis: 'Redis', kafka: 'Kafka', cassandra: 'Cassandra', elasticsearch: 'Elasticsearch',
  ldap: 'LDAP', 'ibm-mq': 'IBM MQ', websphere: 'WebSphere', netty: 'Netty', kubernetes: 'Kubernetes',
  cloudflare: 'Cloudflare', 'ibm-gskit': 'IBM GSKit (Db2, MQ, IHS)', oracle: 'Oracle', sap: 'SAP', postfix: 'Postfix',
  librdkafka: 'librdkafka',
};

/** Who acts for `role`, as a noun phrase; undefined when nobody does. */
export function describeOwner(role: Role, vantage: Vantage, context: LineContext): string | undefined {
  switch (role) {
    case 'client':
    case 'security':
      return describeClient(vantage, context);
    case 'server':
      return describeServer(vantage, context);
    case 'both':
      return `${describeClient(vantage, context)} and ${describeServer(vantage, context)}`;
    case 'network':
      return `the network path (firewalls, load balancers, DNS) between ${describeClient(vantage, context)} and ${describeServer(vantage, context)}`;
    case 'none':
      return undefined;
  }
}

/** "ssl-server(MyProfile), domain default" for a DataPower line, or nothing. */
function where(context: LineContext): string {
  const parts = [context.object, context.domain ? `domain ${context.domain}` : undefined].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

function describeClient(vantage: Vantage, context: LineContext): string {
  // A probe is tls-triage acting as a client: the clients that matter are the real ones.
  if (context.source === 'probe') {
    const server = address(context.server);
    return server ? `the clients of ${server}` : 'the clients of this endpoint';
  }
  if (vantage === 'client') {
    if (context.source === 'datapower') return `DataPower's back side, where it is the TLS client${where(context)}`;
    const software = context.source ? SOFTWARE[context.source] : undefined;
    return software ? `the ${software} client that wrote this log` : 'the client that wrote this log';
  }
  // The client's port is ephemeral: naming it would only make the owner harder to find.
  const client = address(context.client);
  const host = client === undefined ? undefined : hostOf(client);
  return host ? `the client at ${host}` : 'the client that opened the connection';
}

function describeServer(vantage: Vantage, context: LineContext): string {
  const named = address(context.server) ?? address(context.host);
  if (context.source === 'probe') return named ? `the server ${named}` : 'the probed server';
  if (vantage === 'server') {
    if (context.source === 'datapower') return `DataPower's front side, where it is the TLS server${where(context)}`;
    const software = context.source ? SOFTWARE[context.source] : undefined;
    const what = software ? `the ${software} server` : 'the server';
    // A listen address (0.0.0.0:443) names a port, not a machine anyone can find.
    const at = named && !isWildcard(named) ? ` at ${named}` : '';
    return `${what}${at} that wrote this log`;
  }
  if (vantage === 'client' && context.source === 'datapower') {
    return named ? `the backend ${named} that DataPower connects to` : 'the backend DataPower connects to';
  }
  return named && !isWildcard(named) ? `the server ${named}` : 'the server the client connects to';
}

/**
 * An address as a log names it, without the punctuation a log line puts after it
 * ("client: 10.9.8.7:51234:" gives "10.9.8.7:51234:"); undefined when nothing is left.
 */
function address(text: string | undefined): string | undefined {
  const trimmed = text?.trim().replace(/[:;,.]+$/, '');
  return trimmed ? trimmed : undefined;
}

const WILDCARD = /^(?:0\.0\.0\.0|::|\*)$/;
function isWildcard(hostPort: string): boolean {
  return WILDCARD.test(hostOf(hostPort));
}
