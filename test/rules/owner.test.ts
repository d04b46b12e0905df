import { describe, expect, it } from 'vitest';
import { createDiagnoser } from '../../rules/index.js';
import { describeOwner } from '../../rules/owner.js';
import { readFixture } from '../helpers/fixtures.js';

// Who acts, as the noun phrase the replies put after the team: never "the owner of the probe
// application", never a listen address, never the punctuation a log puts after an address.

const diagnoser = createDiagnoser();

describe('describeOwner', () => {
  it('names the software that wrote the log, and never calls tls-triage\'s own probe an application', () => {
    expect(describeOwner('client', 'client', { source: 'java' })).toBe('the Java client that wrote this log');
    expect(describeOwner('client', 'client', { source: 'probe', server: 'payments.internal:8443' })).toBe('the clients of payments.internal:8443');
    expect(describeOwner('server', 'client', { source: 'probe', server: 'payments.internal:8443' })).toBe('the server payments.internal:8443');
    expect(describeOwner('client', 'client', {})).toBe('the client that wrote this log');
  });

  it('words the network team\'s part as a path between two parties, once', () => {
    const network = describeOwner('network', 'client', { source: 'probe', server: 'db.internal:5432' });
    expect(network).toBe('the network path (firewalls, load balancers, DNS) between the clients of db.internal:5432 and the server db.internal:5432');
    expect(network).not.toMatch(/owner|team|application that wrote/);
  });

  it('drops the trailing punctuation of an address and the ephemeral port of a client', () => {
    expect(describeOwner('client', 'server', { client: '10.9.8.7:51234:' })).toBe('the client at 10.9.8.7');
    expect(describeOwner('server', 'client', { server: '10.9.8.7:443:' })).toBe('the server 10.9.8.7:443');
  });

  it('never names a listen address as the server', () => {
    expect(describeOwner('server', 'server', { source: 'nginx', server: '0.0.0.0:443' })).toBe('the nginx server that wrote this log');
    expect(describeOwner('server', 'server', { source: 'nginx', server: '10.1.1.10:443' })).toBe('the nginx server at 10.1.1.10:443 that wrote this log');
  });

  it('says where DataPower is the client or the server, with its object and domain', () => {
    expect(describeOwner('server', 'server', { source: 'datapower', object: 'ssl-server(front)', domain: 'default' })).toBe(
      "DataPower's front side, where it is the TLS server (ssl-server(front), domain default)",
    );
    expect(describeOwner('both', 'client', { source: 'datapower', server: 'backend.internal:443' })).toBe("DataPower's back side, where it is the TLS client and the backend backend.internal:443 that DataPower connects to");
    expect(describeOwner('none', 'client', {})).toBeUndefined();
  });

  it('is what a Java trace and a curl paste get', async () => {
    const java = await diagnoser.diagnoseText(readFixture('java/server-cert-untrusted.txt'));
    expect(java.owner).toBe('the Java client that wrote this log');
    const curl = await diagnoser.diagnoseText('* Connected to payments.internal.example.com (10.4.4.4) port 8443\ncurl: (60) SSL certificate problem: certificate has expired');
    expect(curl.owner).not.toMatch(/owner of|application that wrote/);
  });
});
