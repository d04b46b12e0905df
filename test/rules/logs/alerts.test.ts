import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractAlerts } from '../../../rules/logs/extract/alerts.js';
import { LOG_FIXTURES } from '../../helpers/fixtures.js';
import { loadPublicFiles } from '../../helpers/public-corpus.js';

// Who sent an alert is read from the words around it. Each line is taken verbatim from real output:
// the public corpus (found by a fragment of it) or the s_client -msg runs in test/fixtures/logs/stacks.
const records = loadPublicFiles([
  'debug-dumps.jsonl', 'ibm-mainframe.jsonl', 'fresh-stacks.jsonl', 'server-logs.jsonl', 'mobile-iot.jsonl',
  'databases-middleware.jsonl', 'sample-server-side.jsonl', 'sample-issues-2.jsonl', 'sample-by-era.jsonl',
]);
const msgRuns = ['server-cert-untrusted-tls13.txt', 'client-cert-missing-tls13.txt'].map((f) =>
  readFileSync(join(LOG_FIXTURES, 'stacks', 'openssl-s_client-msg', f), 'utf8'),
);
const lineWith = (fragment: string): string => {
  const text = [...records.map((r) => r.text), ...msgRuns].find((t) => t.includes(fragment));
  const line = text?.split('\n').find((l) => l.includes(fragment));
  if (!line) throw new Error(`no real line holds ${fragment}`);
  return line;
};

describe('alerts and their direction', () => {
  it.each([
    ['Alert (Level: Fatal, Description: Handshake Failure)', 'received', 'handshake_failure'],
    ['<<< TLS 1.2, Alert [length 0002], fatal', 'received', 'internal_error'],
    ['>>> TLS 1.3, Alert [length 0002], fatal unknown_ca', 'sent', 'unknown_ca'],
    ['<<< TLS 1.3, Alert [length 0002], fatal certificate_required', 'received', 'certificate_required'],
    ['Received fatal alert:  certificate_unknown', 'received', 'certificate_unknown'],
    ['Fatal error: unknown ca', 'sent', 'unknown_ca'],
    ['{bad_certificate,"TLS server: In state cipher', 'sent', 'bad_certificate'],
    ['TLS error from peer (alert code 40)', 'received', 'handshake_failure'],
    ['Alert: handshake failure', 'received', 'handshake_failure'],
    ['SSL alert number 48', 'received', 'unknown_ca'],
    ['ssl/tls alert certificate unknown', 'received', 'certificate_unknown'],
    ['CRYPTO_ERROR (0x12a)', 'received', 'bad_certificate'],
    ['reason(1120)', 'received', 'no_application_protocol'],
  ])('%s', (fragment, direction, name) => {
    expect(extractAlerts(lineWith(fragment))).toContainEqual({ direction, name });
  });

  it("takes a Wireshark Description line only when its name is the number's", () => {
    // Wireshark's packet-details layout ("Description: <name> (<number>)"); the right pair is read,
    // a wrong pair or another protocol's Description line is not.
    expect(extractAlerts('        Description: Unknown CA (48)')).toContainEqual({ direction: 'received', name: 'unknown_ca' });
    expect(extractAlerts('        Description: Unknown CA (40)')).toEqual([]);
    expect(extractAlerts('    Description: Printer out of paper (48)')).toEqual([]);
  });
});
