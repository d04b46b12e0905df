import { describe, expect, it } from 'vitest';
import { createDiagnoser } from '../../../rules/index.js';
import { loadPublicFiles, pasteOf, type PublicRecord } from '../../helpers/public-corpus.js';

// Wordings the third corpus round found unread (test/fixtures/logs/public/README.md): each case is a
// verbatim paste from that corpus, picked by its thread's URL, with the reading this test pins.
const diagnoser = createDiagnoser();
const records = loadPublicFiles(['enterprise-suites.jsonl', 'server-logs.jsonl', 'tool-transcripts.jsonl', 'sample-logs.jsonl', 'sample-everyday.jsonl', 'sample-error-strings.jsonl', 'sample-issues.jsonl']);

function paste(url: string, fragment: string): PublicRecord {
  return pasteOf(records, url, fragment);
}

describe('enterprise suites: codes whose words say nothing by themselves', () => {
  it.each([
    ['Db2 client, GSKit 414 (GSK_ERROR_BAD_CERT)', 'https://github.com/ibmdb/node-ibm_db/issues/906', '"414"', 'server-cert-untrusted', 'client'],
    ['Db2 client, GSKit 420 (socket closed)', 'https://github.com/ibmdb/ruby-ibmdb/issues/53', '420', 'handshake-aborted', 'both'],
    ['Oracle UTL_HTTP, ORA-29024 behind the ORA-29273 wrapper', 'https://github.com/daust/JasperReportsIntegration/issues/110', 'ORA-29024', 'server-cert-untrusted', 'client'],
    ['SAP ICM outbound, SSSLERR_PEER_CERT_UNTRUSTED', 'https://github.com/abapGit/abapGit/issues/6929', 'PEER_CERT_UNTRUSTED', 'server-cert-untrusted', 'client'],
    ['SAP ICM, HTTP error 421 that is no HTTP status', 'https://github.com/abapGit/abapGit/issues/3325', 'ICM_HTTP_SSL_PEER_CERT_UNTRUSTED', 'server-cert-untrusted', 'client'],
    ['HANA client, RTE 300015 host name check', 'https://github.com/SAP/go-hdb/issues/132', '300015', 'server-cert-hostname-mismatch', 'server'],
    ['Liberty inbound channel, plain bytes on the TLS port', 'https://github.com/OpenLiberty/open-liberty/pull/22635', 'unencrypted inbound', 'plain-http-on-tls-port', 'client'],
    ['IBM JDK, signer wrapped over two lines', 'https://github.com/web-push-libs/webpush-java/issues/104', 'No issuer certificate', 'server-cert-untrusted', 'client'],
  ])('%s', async (_name, url, fragment, cause, team) => {
    const d = await diagnoser.diagnoseText(paste(url, fragment).text);
    expect(d.cause).toBe(cause);
    expect(d.team).toBe(team);
  });
});

describe('server logs: the side that accepted the connection', () => {
  it('a Postfix SSL_accept that timed out is a stalled handshake, not a network timeout', async () => {
    const d = await diagnoser.diagnoseText(paste('https://github.com/servisys/ispconfig_setup/issues/275', 'Connection timed out').text);
    expect(d.cause).toBe('handshake-aborted');
  });

  it('an Erlang server that generated Bad Certificate in state cipher rejected the client certificate', async () => {
    const d = await diagnoser.diagnoseText(paste('https://github.com/emqx/emqx-docs/pull/1064', 'Bad').text);
    expect(d.cause).toBe('client-cert-untrusted');
    expect(d.team).toBe('server');
  });

  it('an Erlang server that generated Protocol Version names a version mismatch, not a bare abort', async () => {
    const d = await diagnoser.diagnoseText(paste('https://github.com/emqx/emqx/issues/3802', 'Protocol Version').text);
    expect(d.cause).toBe('protocol-mismatch');
  });

  it("etcd's name check runs on the client certificate", async () => {
    const d = await diagnoser.diagnoseText(paste('https://github.com/coreos/etcd-operator/issues/1384', 'DNSNames').text);
    expect(d.cause).toBe('client-cert-untrusted');
  });

  it.each([
    ['Kafka reading a TLS record header as a frame size', 'https://github.com/strimzi/strimzi-kafka-operator/issues/2473', 'Invalid receive'],
    ['an access log holding the ClientHello bytes', 'https://github.com/milesmcc/shynet/issues/221', '\\x16\\x03'],
  ])('%s: a TLS client on a plain port', async (_name, url, fragment) => {
    const d = await diagnoser.diagnoseText(paste(url, fragment).text);
    expect(d.cause).toBe('tls-on-plain-port');
    expect(d.team).toBe('client');
  });

  it.each([
    ['https://github.com/awslabs/aws-servicebroker/issues/72'],
    ['https://github.com/poseidon/typhoon/issues/629'],
  ])("a Go server's bare EOF lines name health checks and the client's log, not a cause (%s)", async (url) => {
    // The commonest log paste of the eighth round (sample-logs.jsonl): 7 of 70.
    const d = await diagnoser.diagnoseText(paste(url, 'EOF').text);
    expect(d.cause).toBe('handshake-aborted');
    expect(d.nextSteps.join(' ')).toMatch(/health check/);
    expect(d.nextSteps.join(' ')).toMatch(/client's log/);
  });

  it("OpenSSL 1.0's 'unknown protocol' on a server names plain text as the other reading", async () => {
    const d = await diagnoser.diagnoseText(paste('https://github.com/mqttjs/MQTT.js/issues/424', 'unknown protocol').text);
    expect(d.team).toBe('client');
    expect([d.cause, ...(d.alternatives ?? []).map((a) => a.cause)]).toContain('plain-http-on-tls-port');
  });
});

describe('look-alikes that are not TLS', () => {
  it.each([
    ['SSH negotiation', 'no matching client->server HMAC'],
    ['an XML signature check', 'signxml.exceptions.InvalidCertificate'],
    ['a truncated download', 'The file might be corrupted'],
  ])('%s', async (_name, fragment) => {
    const found = records.find((r) => r.text.includes(fragment));
    expect(found, fragment).toBeDefined();
    expect((await diagnoser.diagnoseText(found?.text ?? '')).cause).toBe('unknown');
  });
});

describe('tool transcripts', () => {
  it('s_client with one version forced and a handshake_failure alert says the version may be the problem', async () => {
    const d = await diagnoser.diagnoseText(paste('https://github.com/openssl/openssl/issues/2602', '-tls1_3').text);
    expect(d.cause).toBe('protocol-mismatch');
  });

  it("Node's hang-up on a plain Socket is an HTTP server's, not a TLS handshake's", async () => {
    const d = await diagnoser.diagnoseText(paste('https://github.com/Brooooooklyn/canvas/pull/555', 'socketOnEnd').text);
    expect(d.cause).toBe('unknown');
  });

  it('the same hang-up on a TLSSocket is still a handshake cut off', async () => {
    const d = await diagnoser.diagnoseText(paste('https://github.com/postmanlabs/newman/issues/2142', 'TLSSocket.onHangUp').text);
    expect(d.cause).toBe('handshake-aborted');
  });
});
