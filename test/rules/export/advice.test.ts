import { describe, expect, it } from 'vitest';
import { readExportXml } from '../../../bot/export/read.js';
import { adviseFromExport, createDiagnoser, type Diagnosis, type ExportObservation } from '../../../rules/index.js';
import { readFixture } from '../../helpers/fixtures.js';
import { oscWithProtocols, readExportFixture } from '../../bot/export/helpers.js';

// A logged failure plus the export of the same domain names the exact setting. Logs are the
// (reconstructed) DataPower fixtures of test/fixtures/logs; exports the hand-written fixtures.

const diagnoser = createDiagnoser();
const log = (file: string): Promise<Diagnosis> => diagnoser.diagnoseText(readFixture(`datapower/${file}`));
const exported = (file: string): Promise<ExportObservation> => readExportXml(readExportFixture(file), file);
const OSC = await exported('osc-pd-sslerror.xml');
const ORDERS = await exported('orders-multi-profile.xml');

describe('the exact setting behind a logged failure', () => {
  it('protocol-too-old: names Protocols > TLSv1d0 of the profile in the log', async () => {
    const d = await log('protocol-too-old-osmd-reconstructed.txt');
    expect(adviseFromExport(d, OSC)).toEqual({
      steps: [
        "In domain OSC_PD_SSLError, SSLServerProfile 'SSLError_SSLServer': Protocols > TLSv1d0 is off; the client offers at most TLS 1.0. Move the client to TLS 1.2 (preferred) or, with the security team's consent, switch TLSv1d0 on",
      ],
      settings: [{ domain: 'OSC_PD_SSLError', class: 'SSLServerProfile', name: 'SSLError_SSLServer', setting: 'Protocols > TLSv1d0', value: 'off', agrees: true }],
    });
  });

  it('finds the profile through the handler port when the log names no object (verbatim article lines)', async () => {
    const d = await log('protocol-too-old-osmd.txt');
    expect(d.context).toMatchObject({ object: 'ssl-server', server: '192.168.1.10:9195' });
    expect(adviseFromExport(d, OSC)?.steps[0]).toMatch(/^In domain OSC_PD_SSLError, SSLServerProfile 'SSLError_SSLServer' \(HTTPSSourceProtocolHandler 'SSLError_HTTPS' on port 9195 uses it\): Protocols > TLSv1d0 is off/);
  });

  it('protocol-too-new: names the switch above the profile maximum', async () => {
    const d = await log('protocol-too-new-osmd-reconstructed.txt');
    const onlyTls11 = await readExportXml(oscWithProtocols({ TLSv1d2: 'off' }), 'variant.xml');
    const advice = adviseFromExport(d, onlyTls11);
    expect(advice?.steps[0]).toBe(
      "In domain OSC_PD_SSLError, SSLServerProfile 'SSLError_SSLServer': Protocols > TLSv1d2 is off (on: TLSv1d1; off: SSLv3, TLSv1d0, TLSv1d2); the client offers only TLS 1.2 or newer. Switch TLSv1d2 on (preferred), or let the client also offer TLS 1.1",
    );
    expect(advice?.settings.map((s) => [s.setting, s.value])).toEqual([['Protocols > TLSv1d2', 'off']]);
  });

  it('says so when the export contradicts the log instead of inventing a fix', async () => {
    const tooOld = await log('protocol-too-old-osmd-reconstructed.txt');
    const advice = adviseFromExport(tooOld, await readExportXml(oscWithProtocols({ TLSv1d0: 'on' }), 'v.xml'));
    expect(advice?.steps[0]).toMatch(/Protocols > TLSv1d0 is on \(on: TLSv1d0, TLSv1d1, TLSv1d2; off: SSLv3\), so this configuration would not fail that way/);
    expect(advice?.settings).toEqual([expect.objectContaining({ setting: 'Protocols > TLSv1d0', value: 'on', agrees: false })]);
    const tooNew = await log('protocol-too-new-osmd-reconstructed.txt');
    expect(adviseFromExport(tooNew, OSC)?.settings[0]).toMatchObject({ setting: 'Protocols > TLSv1d2', agrees: false });
  });

  it('legacy-ssl and no-shared-cipher: SSLv3 off as it should be; the cipher list to compare', async () => {
    expect(adviseFromExport(await log('legacy-ssl-osmd-reconstructed.txt'), OSC)?.steps[0]).toMatch(/Protocols > SSLv3 is off, as it should be; .*do not switch SSLv3 on$/);
    const ciphers = adviseFromExport(await log('no-shared-cipher-osmd-reconstructed.txt'), OSC);
    expect(ciphers?.steps[0]).toContain('Ciphers (3): ECDHE_RSA_WITH_AES_256_GCM_SHA384, ECDHE_RSA_WITH_AES_128_GCM_SHA256, RSA_WITH_AES_256_CBC_SHA; the client offers none of them');
    expect(ciphers?.settings).toEqual([expect.objectContaining({ setting: 'Ciphers', value: '3 cipher(s)' })]);
  });

  it('client-cert-missing: RequireClientAuth and the validation credentials', async () => {
    const advice = adviseFromExport(await log('client-cert-missing-osmd-reconstructed.txt'), OSC);
    expect(advice?.steps[0]).toBe(
      "In domain OSC_PD_SSLError, SSLServerProfile 'SSLError_SSLServer': RequireClientAuth is on, so a client that sends no certificate is refused; client certificates are validated with CryptoValCred 'SSLError_ValCred' (CertValidationMode pkix; certificates: issuing_CA1 = sharedcert:///issuing_CA1.cer). The client must send a certificate those credentials accept; switching RequireClientAuth off instead is a security decision",
    );
    const relaxed = await readExportXml(readExportFixture('osc-pd-sslerror.xml').replace('<RequireClientAuth>on</RequireClientAuth>', '<RequireClientAuth>off</RequireClientAuth>'), 'v.xml');
    expect(adviseFromExport(await log('client-cert-missing-osmd-reconstructed.txt'), relaxed)?.settings[0]).toMatchObject({ setting: 'RequireClientAuth', value: 'off', agrees: false });
  });

  it('client-cert-untrusted: the validation credentials the log names, their mode and certificates', async () => {
    const d = await log('client-cert-untrusted-osmd-reconstructed.txt');
    expect(d.context?.object).toBe('valcred(SSLError_ValCred)');
    const advice = adviseFromExport(d, OSC);
    expect(advice?.steps[0]).toMatch(/^In domain OSC_PD_SSLError, SSLServerProfile 'SSLError_SSLServer' validates client certificates with CryptoValCred 'SSLError_ValCred' \(CertValidationMode pkix; certificates: issuing_CA1 = sharedcert:\/\/\/issuing_CA1\.cer\)\. In pkix mode/);
    expect(advice?.settings).toEqual([expect.objectContaining({ setting: 'Valcred', value: 'SSLError_ValCred' })]);
  });

  it('server-cert-untrusted: the identification credentials DataPower presents and their certificate file', async () => {
    const advice = adviseFromExport(await log('server-cert-untrusted-osmd-reconstructed.txt'), OSC);
    expect(advice?.steps[0]).toMatch(/^In domain OSC_PD_SSLError, SSLServerProfile 'SSLError_SSLServer' presents CryptoIdentCred 'SSLError_IdCred' \(certificates: SSLError_ServerCert = cert:\/\/\/sslerror-server\.pem\)\. The client does not trust its issuer/);
  });

  it('plain-http-on-tls-port: the handler and port that terminate TLS', async () => {
    const advice = adviseFromExport(await log('plain-http-on-tls-port-osmd-reconstructed.txt'), OSC);
    expect(advice?.steps[0]).toContain("terminates TLS for HTTPSSourceProtocolHandler 'SSLError_HTTPS' (port 9195): the client sent plain HTTP there");
  });

  it('asks for the right domain, names a profile the export lacks, lists candidates when the log names none', async () => {
    const d = await log('protocol-too-old-osmd-reconstructed.txt');
    expect(adviseFromExport(d, ORDERS)).toEqual({ steps: ['The log is from domain OSC_PD_SSLError, but this export holds domain(s) orders: export domain OSC_PD_SSLError to name the exact setting'], settings: [] });
    const missing = adviseFromExport({ ...d, context: { ...d.context, domain: 'orders', object: 'ssl-server(Orders_Gone)' } }, ORDERS);
    expect(missing?.steps[0]).toBe("SSLServerProfile 'Orders_Gone' is not in this export of domain orders (it holds 'Orders_Public', 'Orders_Partner', 'Orders_Old')");
    const anonymous = adviseFromExport({ ...d, context: { source: 'datapower' } }, ORDERS);
    // The disabled Orders_Old is no candidate.
    expect(anonymous?.steps[0]).toBe(
      "The log does not say which profile failed; in domain orders the candidates are SSLServerProfile 'Orders_Public' on port 443 (Protocols on: TLSv1d2, TLSv1d3; off: SSLv3, TLSv1d0, TLSv1d1); SSLServerProfile 'Orders_Partner' on port 8443 (Protocols on: TLSv1d1, TLSv1d2; off: SSLv3, TLSv1d0, TLSv1d3). The one the failing port's handler uses is the one to change",
    );
  });

  it('DataPower as the client: the SSL Client Profile from a (reconstructed) ssl-client line', async () => {
    const context = { source: 'datapower', domain: 'orders', object: 'ssl-client(Orders_Backend)' };
    const tooNew = adviseFromExport({ cause: 'protocol-too-new', vantage: 'client', context }, ORDERS);
    expect(tooNew?.steps[0]).toBe(
      "In domain orders, SSLClientProfile 'Orders_Backend': Protocols has only TLSv1d2 and TLSv1d3 on; the backend supports at most an older version. Upgrade the backend to TLS 1.2 (preferred) or, with the security team's consent, switch TLSv1d1 on in 'Orders_Backend'",
    );
    const missing = adviseFromExport({ cause: 'client-cert-missing', vantage: 'client', context }, ORDERS);
    expect(missing?.steps[0]).toBe("In domain orders, SSLClientProfile 'Orders_Backend': the export shows no identification credentials (Idcred) for it: DataPower presents no certificate to the peer. Give it identification credentials the peer accepts");
  });

  it('gives nothing for causes no export setting explains', async () => {
    expect(adviseFromExport({ cause: 'connection-refused', vantage: 'client', context: { domain: 'orders' } }, ORDERS)).toBeUndefined();
    expect(adviseFromExport(await log('red-herring-only-reconstructed.txt'), OSC)).toBeUndefined();
  });
});
