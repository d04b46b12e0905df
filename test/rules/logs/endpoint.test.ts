import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDiagnoser } from '../../../rules/index.js';
import { findEndpoint } from '../../../rules/logs/endpoint.js';
import { LOG_FIXTURES, readFixture } from '../../helpers/fixtures.js';
import { loadPublicCorpus, namesEndpoint, runnableSteps } from '../../helpers/public-corpus.js';

const diagnoser = createDiagnoser();

describe('the endpoint a paste names', () => {
  it.each([
    ['I/O error on POST request for "https://payments.internal.example.com:8443/api/charge": PKIX path building failed', 'payments.internal.example.com', 8443],
    ["HTTPSConnectionPool(host='inventory.internal.example.com', port=443): Max retries exceeded", 'inventory.internal.example.com', 443],
    ['Get "https://billing.internal:9443/healthz": x509: certificate signed by unknown authority', 'billing.internal', 9443],
    ['* Connected to portal.internal.example.com (10.4.4.4) port 443 (#0)', 'portal.internal.example.com', 443],
    ['openssl s_client -connect mq.example.net:1414 -showcerts', 'mq.example.net', 1414],
    ['while SSL handshaking to upstream, client: 10.0.0.9, server: api, upstream: "https://10.1.2.3:8443/v1/x"', '10.1.2.3', 8443],
    ['ldap_sasl_bind(SIMPLE): ldaps://directory.corp:636 unreachable', 'directory.corp', 636],
    ['connection to server at "db.internal" (10.0.0.5), port 5432 failed: SSL error: certificate verify failed', 'db.internal', 5432],
    ['fatal: unable to access \'https://git.example.org/group/repo.git/\': server certificate verification failed', 'git.example.org', 443],
  ])('%s', (line, host, port) => {
    expect(findEndpoint([line])).toEqual({ host, port });
  });

  it('never takes a listen address, a placeholder or a documentation link for the endpoint', () => {
    expect(findEndpoint(['server: 0.0.0.0:443', '-connect 0.0.0.0:8443', 'https://[::]:443/'])).toBeUndefined();
    expect(findEndpoint(['curl performs SSL certificate verification; More details here: https://curl.se/docs/sslcerts.html'])).toBeUndefined();
    expect(findEndpoint(['openssl s_client -connect <host>:<port>'])).toBeUndefined();
  });

  it("keeps a server's listen port but never its wildcard address in the next steps", async () => {
    const d = await diagnoser.diagnoseText(readFixture('nginx/server-cert-untrusted.txt'));
    expect(d.nextSteps.join('\n')).not.toMatch(/0\.0\.0\.0/);
  });

  it('fills the next steps of at least 90% of the real pastes that name an endpoint', async () => {
    const dir = join(LOG_FIXTURES, 'public');
    const records = loadPublicCorpus(readdirSync(dir).filter((f) => f.endsWith('.jsonl')).map((f) => join(dir, f)));
    let named = 0;
    let runnable = 0;
    for (const r of records) {
      if (r.cause === 'unknown' || !namesEndpoint(r.text)) continue;
      const d = await diagnoser.diagnoseText(r.text);
      if (d.cause === 'unknown') continue;
      named += 1;
      if (runnableSteps(d)) runnable += 1;
    }
    expect(named).toBeGreaterThanOrEqual(100);
    expect(runnable / named).toBeGreaterThanOrEqual(0.9);
  });
});
