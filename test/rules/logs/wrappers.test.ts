import { describe, expect, it } from 'vitest';
import { createDiagnoser } from '../../../rules/index.js';
import { readFixture } from '../../helpers/fixtures.js';

// The same real output, pasted the ways people paste it: quoted in Markdown, as an R session, inside a
// log shipper's JSON (Docker's json-file driver, Fluent Bit), inside a Python traceback or a Java
// exception chain. The diagnosis reads through the wrapper to the error.
const diagnoser = createDiagnoser();

const quoted = (text: string): string => text.split('\n').map((l) => `> ${l}`).join('\n');
const rSession = (text: string): string => text.split('\n').map((l) => `#> ${l}`).join('\n');
const shipped = (text: string): string =>
  text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.stringify({ log: `${l}\n`, stream: 'stderr', time: '2026-12-07T10:00:00.000000000Z' }))
    .join('\n');

describe('wrappers are read through', () => {
  it.each([
    ['curl/server-cert-untrusted.txt', 'server-cert-untrusted'],
    ['nginx/plain-http-on-tls-port.txt', 'plain-http-on-tls-port'],
    ['go/server-cert-hostname-mismatch.txt', 'server-cert-hostname-mismatch'],
    ['go-server/client-cert-missing-tls12.txt', 'client-cert-missing'],
    ['python/tls-on-plain-port.txt', 'tls-on-plain-port'],
    ['java/server-cert-expired.txt', 'server-cert-expired'],
  ])('%s quoted, in an R session and in a shipper\'s JSON', async (file, cause) => {
    const text = readFixture(file);
    const plain = await diagnoser.diagnoseText(text);
    expect(plain.cause).toBe(cause);
    for (const wrapped of [quoted(text), rSession(text), shipped(text)]) {
      const d = await diagnoser.diagnoseText(wrapped);
      expect(d.cause, wrapped.slice(0, 200)).toBe(cause);
      expect(d.team).toBe(plain.team);
    }
  });

  it("reads an endpoint out of a shipper's escaped quotes", async () => {
    const d = await diagnoser.diagnoseText(shipped('2026/12/07 10:00:00 Get "https://billing.internal:9443/healthz": x509: certificate signed by unknown authority'));
    expect(d.cause).toBe('server-cert-untrusted');
    expect(d.endpoint).toEqual({ host: 'billing.internal', port: 9443 });
  });
});
