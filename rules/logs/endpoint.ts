import type { Endpoint } from '../types.js';

// The TLS endpoint a failure is about, as the evidence names it, so that next steps can be pasted and
// run: `openssl s_client -connect payments.internal:8443`, not `-connect <host>:<port>`. Only names the
// text gives: a URL, curl's "Connected to", s_client's -connect, Python's host=/port=, libpq, IBM MQ,
// dial errors. Listen and wildcard addresses (0.0.0.0, ::) are never an endpoint anyone can probe.

const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  https: 443, wss: 443, ldaps: 636, imaps: 993, pop3s: 995, smtps: 465, ftps: 990, ircs: 6697,
  amqps: 5671, mqtts: 8883, ldap: 389, smtp: 25, imap: 143, pop3: 110, ftp: 21, postgres: 5432,
  postgresql: 5432, mysql: 3306, rediss: 6379, mongodb: 27017,
};
const HOST = '(?:\\[[0-9A-Fa-f:.]{2,45}\\]|[A-Za-z0-9](?:[A-Za-z0-9._-]{0,251}[A-Za-z0-9])?)';

interface Finder {
  readonly re: RegExp;
  /** Host, port (may be missing) and scheme from a match. */
  readonly read: (m: RegExpExecArray) => { host?: string; port?: string; scheme?: string };
}

// Each pattern is bounded; they run on evidence lines only (at most a few dozen short lines).
const FINDERS: readonly Finder[] = [
  { re: new RegExp(`Connected to (${HOST}) \\([^)]{1,60}\\) port (\\d{1,5})`), read: (m) => ({ host: m[1], port: m[2] }) },
  { re: new RegExp(`-connect (${HOST}):(\\d{1,5})`), read: (m) => ({ host: m[1], port: m[2] }) },
  { re: new RegExp(`host='(${HOST})', port=(\\d{1,5})`), read: (m) => ({ host: m[1], port: m[2] }) },
  { re: new RegExp(`connection to server at "(${HOST})"[^,]{0,60}, port (\\d{1,5})`), read: (m) => ({ host: m[1], port: m[2] }) },
  { re: new RegExp(`Failed to connect to (${HOST}) port (\\d{1,5})`), read: (m) => ({ host: m[1], port: m[2] }) },
  { re: new RegExp(`\\b(https|wss|ldaps|ldap|imaps|pop3s|smtps|ftps|amqps|mqtts|rediss|postgres(?:ql)?|mysql|mongodb)://(?:[^@/\\s"'<>]{1,100}@)?(${HOST})(?::(\\d{1,5}))?(?=[/"'\\s,):?#]|$)`), read: (m) => ({ scheme: m[1], host: m[2], port: m[3] }) },
  { re: new RegExp(`upstream: "?https://(${HOST})(?::(\\d{1,5}))?`), read: (m) => ({ host: m[1], port: m[2] ?? '443' }) },
  { re: new RegExp(`(?:dial tcp|Connect to|connect to|Trying) (${HOST}):(\\d{1,5})\\b`), read: (m) => ({ host: m[1], port: m[2] }) },
  { re: new RegExp(`remote host is '(${HOST}) \\([^)]{0,60}\\)\\((\\d{1,5})\\)`), read: (m) => ({ host: m[1], port: m[2] }) },
  { re: new RegExp(`(?:error connecting to|connecting to|could not connect to|Unable to connect to|Failed to dial|cannot connect to host) (${HOST}):(\\d{1,5})\\b`, 'i'), read: (m) => ({ host: m[1], port: m[2] }) },
];

const WILDCARD = /^(?:0\.0\.0\.0|\[?::\]?|\*|\[?::0\]?|localhost\.localdomain)$/;
const NOT_A_HOST = /^(?:x+|example|host|hostname|server|<[^>]*>|\$\{?[A-Za-z_]+\}?)$/i;
// Error messages link to their documentation ("More details here: https://curl.se/docs/sslcerts.html"):
// those hosts are never the endpoint that failed.
const DOCUMENTATION_HOST = /(?:^|\.)(?:aka\.ms|curl\.se|curl\.haxx\.se|readthedocs\.io|learn\.microsoft\.com|docs\.microsoft\.com|go\.microsoft\.com|stackoverflow\.com|openssl\.org|developer\.mozilla\.org|support\.mozilla\.org|docs\.python\.org|nodejs\.org|golang\.org|go\.dev|docs\.oracle\.com|ibm\.com|letsencrypt\.org|httpd\.apache\.org|nginx\.org)$/i;

/** The endpoint the evidence names, the first line first; undefined when none is named. */
export function findEndpoint(lines: readonly string[]): Endpoint | undefined {
  for (const line of lines) {
    const text = line.length > 4096 ? line.slice(0, 4096) : line;
    for (const finder of FINDERS) {
      const m = finder.re.exec(text);
      if (!m) continue;
      const found = finder.read(m);
      const host = found.host?.replace(/^\[|\]$/g, '');
      const port = found.port ? Number(found.port) : found.scheme ? DEFAULT_PORTS[found.scheme.toLowerCase()] : undefined;
      if (!host || !port || port > 65535 || WILDCARD.test(host) || NOT_A_HOST.test(host) || DOCUMENTATION_HOST.test(host)) continue;
      return { host, port };
    }
  }
  return undefined;
}

/** "host:port" as a command takes it ([v6]:port). */
export function endpointText(endpoint: Endpoint): string {
  return endpoint.host.includes(':') ? `[${endpoint.host}]:${endpoint.port}` : `${endpoint.host}:${endpoint.port}`;
}
