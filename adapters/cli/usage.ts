// What `tls-triage` and `tls-triage COMMAND --help` print.

import { MAX_LISTEN_SECONDS } from '../../bot/listen/limits.js';

export const COMMAND_USAGE = {
  diagnose: `usage: tls-triage diagnose [FILE|-] [--json] [--rules DIR]... [--ca FILE]... [--role client|server] [--verbose]
  Diagnoses a log (gzip too), a certificate file (PEM, DER, PKCS#7), a packet capture or a DataPower
  domain export (XML or zip); standard input when FILE is - or missing.
  --json           the shape of docs/json-output.md
  --rules DIR      an ops team's rule files, besides the built-in catalog (repeatable)
  --ca FILE        a private CA to verify certificates against, besides the system store (repeatable)
  --role ROLE      what a certificate is for when its key usage cannot tell: client or server
  --verbose        log lines on standard error (LOG_LEVEL sets their level)`,
  probe: `usage: tls-triage probe TARGET... [--targets FILE] [--json] [--ciphers] [--servername NAME] [--ca FILE] [--timeout MS]
                  [--concurrency N] [--allow CIDR|HOST]... [--rules DIR]... [--verbose]
                  [--starttls smtp|imap|pop3|ftp|ldap|postgres|mysql] [--as CLIENT]
       tls-triage probe --list-clients [--json]
  Connects to each TARGET (host:port, host, https://host:port/, [v6]:port) and checks its protocols,
  certificate chain and client-certificate request, under the probe policy. smtp:// imap:// pop3://
  ftp:// ldap:// postgres:// mysql:// (or --starttls) upgrade to TLS first. Several targets: one
  answer each in the order given (JSON Lines with --json); exit 0 when every target was probed,
  else 1 (internal) over 3 (refused) over 2 (invalid).
  --targets FILE   targets one per line (# comments), besides those given
  --concurrency N  targets probed at once (default 8, never above probe.maxConcurrent)
  --json           the shape of docs/json-output.md
  --ciphers        list the cipher suites accepted per protocol
  --servername N   the SNI name to send (default: the host)
  --ca FILE        a private CA the chain is verified against
  --timeout MS     each probe's time limit, 100 to 120000 (default: probe.timeoutMs)
  --allow ENTRY    an allow entry for this run (e.g. --allow 127.0.0.1 for a local test server)
  --starttls PROTO upgrade with that protocol first (the scheme of TARGET does the same)
  --as CLIENT      send that client's ClientHello: would it connect, and if not, why (--list-clients)
  --verbose        log lines on standard error, the probe's audit line among them (LOG_LEVEL
                   sets their level; probe.auditFile / PROBE_AUDIT_FILE keeps audit lines in a file)`,
  listen: `usage: tls-triage listen [HOST:]PORT [--for SECONDS] [--count N] [--json] [--cert FILE --key FILE]
                        [--request-cert] [--versions tls1.2,tls1.3] [--rules DIR]...
  Opens a TLS listener (every interface unless HOST is given; port 0 picks a free one) and reports,
  for every client that connects, what it offered (versions, cipher suites with IANA and OpenSSL
  names, SNI, ALPN, groups, signature algorithms), the client certificate it presented and how the
  handshake ended; then a summary and its diagnosis. Point the failing client at it.
  --for SECONDS     how long to listen (default 60, at most ${MAX_LISTEN_SECONDS})
  --count N         stop after N connections
  --json            JSON Lines: one object per connection, then {"summary": true, ...}
  --cert/--key      present this certificate (PEM) instead of a throw-away self-signed one
  --request-cert    ask clients for a certificate (and report the one presented)
  --versions LIST   the versions the listener accepts: the server profile clients are judged against
                    (default tls1.2,tls1.3; tls1 and tls1.1 are possible)
  A client refusing the throw-away certificate is expected (it verifies certificates) and is no finding.
  Exit code 0, also when nobody connected (the summary says so); 2 bad usage.`,
  rules: `usage: tls-triage rules check DIR...
  Validates an ops team's rule directories (every *.json file, client profiles for probe --as
  included) with the built-in catalog, without starting anything; an error names the file and the field.`,
  console: `usage: tls-triage console [--thread ID] [--rules DIR]... [--allow CIDR|HOST]...
  The local chat in the terminal: one incident per thread. Paste log lines and end with an empty
  line; 'details', 'feedback right|wrong [comment]', 'status', 'summary', 'probe host:port', 'help'.
  --thread ID      resume an incident
  --allow ENTRY    an allow entry for probes in this session (repeatable)`,
  feedback: `usage: tls-triage feedback export [--json]
  Prints every verdict given on a diagnosis ("Right cause" / "Wrong cause", 'feedback wrong ...')
  from the configured incident store, for rule authors: one line each, or JSON Lines with --json
  (incident, platform, channel, thread, user, verdict, cause, at, comment).`,
} as const;

export type CommandName = keyof typeof COMMAND_USAGE;

export function isCommandName(name: string | undefined): name is CommandName {
  return name !== undefined && Object.hasOwn(COMMAND_USAGE, name);
}

export const USAGE = `usage:
  tls-triage diagnose [FILE|-] [--json] [--rules DIR]... [--ca FILE]... [--role client|server]
  tls-triage probe TARGET... [--targets FILE] [--json] [--ciphers] [--servername NAME] [--ca FILE] [--timeout MS] [--concurrency N] [--allow CIDR|HOST]...
                   [--starttls PROTO] [--as CLIENT]
  tls-triage probe --list-clients [--json]
  tls-triage listen [HOST:]PORT [--for SECONDS] [--count N] [--json] [--cert FILE --key FILE] [--request-cert] [--versions LIST]
  tls-triage rules check DIR...
  tls-triage console [--thread ID] [--rules DIR]... [--allow CIDR|HOST]...
  tls-triage feedback export [--json]
'tls-triage COMMAND --help' explains one command.
exit codes: 0 diagnosis produced (every target probed), 2 bad usage or unreadable input, 3 probe refused by policy, 1 internal error`;

/** `--help` or `-h` among a command's arguments (before a `--` that ends the options). */
export function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}
