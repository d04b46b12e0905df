import { isTriageError } from '../../bot/errors.js';
import type { CliIo } from './diagnose-command.js';

// Usage text and the exit code of an error, apart from main.ts so that the probe's short path
// (bin.ts -> probe-cli.ts) reports errors the same way without loading the rest of the CLI.

export const USAGE = `usage:
  tls-triage diagnose [FILE|-] [--json] [--rules DIR]... [--ca FILE]... [--role client|server]
                                                          diagnose a log, a certificate file (PEM, DER, PKCS#7) or a DataPower
                                                          domain export (XML or zip); stdin when no FILE
  tls-triage probe TARGET... [--targets FILE] [--json] [--ciphers] [--servername NAME] [--ca FILE] [--timeout MS]
                   [--concurrency N] [--allow CIDR|HOST]... [--starttls PROTO] [--as CLIENT]
                                                          probe endpoints (several: JSON Lines with --json, in the order given);
                                                          smtp:// imap:// pop3:// ftp:// ldap:// postgres:// mysql:// upgrade first
  tls-triage probe --list-clients [--json]                the clients --as emulates
  tls-triage listen [HOST:]PORT [--for SECONDS] [--count N] [--json] [--cert FILE --key FILE] [--request-cert]
                   [--versions tls1.2,tls1.3]             a TLS listener: what clients offer and present (listen --help)
  tls-triage rules check DIR...                           validate rule files without starting anything
  tls-triage console [--thread ID] [--rules DIR]...        local chat in the terminal (one incident per thread)
exit codes: 0 diagnosis produced (every target probed), 2 bad usage or unreadable input, 3 probe refused by policy, 1 internal error`;

export function reportError(error: unknown, io: CliIo): number {
  // By name, not instanceof: importing the rule loader here would load it for every probe.
  if (error instanceof Error && error.name === 'RuleFileError') {
    io.note(`tls-triage: ${error.message}`);
    return 2;
  }
  if (isTriageError(error)) {
    io.note(`tls-triage: ${error.message}`);
    if (error.code === 'USAGE') io.note(USAGE);
    return error.code === 'PROBE_REFUSED' ? 3 : error.code === 'INTERNAL' ? 1 : 2;
  }
  io.note(`tls-triage: internal error: ${(error as Error)?.message ?? String(error)}`);
  return 1;
}
