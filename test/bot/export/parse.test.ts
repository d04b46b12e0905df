import { describe, expect, it } from 'vitest';
import { readExportXml } from '../../../bot/export/read.js';
import { looksLikeExportXml } from '../../../bot/export/xml.js';
import type { ExportTlsObject } from '../../../rules/index.js';
import { readExportFixture } from './helpers.js';

// Reading the hand-written fixtures (test/fixtures/exports, written from the documented format):
// what each TLS object enables, which ciphers, client authentication, and what references what.

const object = (objects: readonly ExportTlsObject[], cls: string, name: string): ExportTlsObject | undefined => objects.find((o) => o.class === cls && o.name === name);

describe('reading a DataPower export', () => {
  it('reads the domain, firmware and export details', async () => {
    const o = await readExportXml(readExportFixture('osc-pd-sslerror.xml'), 'osc.xml');
    expect(o).toMatchObject({ name: 'osc.xml', format: 'xml', domain: 'OSC_PD_SSLError', domains: ['OSC_PD_SSLError'], firmware: 'XI52.7.2.0.0', notes: [] });
    expect(o.details).toEqual({
      description: 'SSL error scenarios (hand-written fixture)',
      user: 'admin',
      domain: 'OSC_PD_SSLError',
      comment: 'hand-written from the documented format, not a real export',
      product: 'XI52',
      'device-name': 'dp-lab-1',
    });
    expect((await readExportXml(readExportFixture('legacy-protocols.xml'), 'l.xml')).firmware).toBeNull();
  });

  it('reads an SSL Server Profile: protocols, ciphers, client authentication, credentials, settings', async () => {
    const o = await readExportXml(readExportFixture('osc-pd-sslerror.xml'), 'osc.xml');
    const p = object(o.objects, 'SSLServerProfile', 'SSLError_SSLServer');
    expect(p).toEqual({
      class: 'SSLServerProfile',
      name: 'SSLError_SSLServer',
      domain: 'OSC_PD_SSLError',
      adminState: 'enabled',
      summary: 'Front side of the SSL error scenarios',
      protocols: { SSLv3: false, TLSv1d0: false, TLSv1d1: true, TLSv1d2: true },
      ciphers: ['ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'RSA_WITH_AES_256_CBC_SHA'],
      clientAuth: { request: true, require: true, validate: true, sendCaList: true },
      references: [
        { element: 'Idcred', class: 'CryptoIdentCred', name: 'SSLError_IdCred' },
        { element: 'Valcred', class: 'CryptoValCred', name: 'SSLError_ValCred' },
      ],
      settings: { Caching: 'on', CacheTimeout: '300', CacheSize: '20', Compression: 'off', AllowLegacyRenegotiation: 'off', PreferServerCiphers: 'on', EllipticCurves: 'secp384r1, secp256r1' },
    });
  });

  it('reads credentials and certificates, and which handler uses which profile', async () => {
    const o = await readExportXml(readExportFixture('osc-pd-sslerror.xml'), 'osc.xml');
    expect(object(o.objects, 'CryptoValCred', 'SSLError_ValCred')).toMatchObject({
      references: [{ element: 'Certificate', class: 'CryptoCertificate', name: 'issuing_CA1' }],
      settings: { CertValidationMode: 'pkix', UseCRL: 'on', RequireCRL: 'off', ExplicitPolicy: 'off', CheckDates: 'on' },
      protocols: null,
      ciphers: null,
      clientAuth: null,
      adminState: null,
    });
    expect(object(o.objects, 'CryptoIdentCred', 'SSLError_IdCred')?.references).toEqual([{ element: 'Certificate', class: 'CryptoCertificate', name: 'SSLError_ServerCert' }]);
    expect(object(o.objects, 'CryptoCertificate', 'issuing_CA1')?.settings).toEqual({ Filename: 'sharedcert:///issuing_CA1.cer', IgnoreExpiration: 'off' });
    expect(o.referrers).toEqual([
      {
        class: 'HTTPSSourceProtocolHandler',
        name: 'SSLError_HTTPS',
        domain: 'OSC_PD_SSLError',
        adminState: null,
        localAddress: '0.0.0.0',
        localPort: '9195',
        configType: 'server',
        references: [{ element: 'SSLServer', class: 'SSLServerProfile', name: 'SSLError_SSLServer' }],
      },
    ]);
  });

  it('reads several profiles, a disabled one, TLSv1d3 switches and an SSL Client Profile', async () => {
    const o = await readExportXml(readExportFixture('orders-multi-profile.xml'), 'orders.xml');
    expect(o.objects.filter((x) => x.class === 'SSLServerProfile').map((x) => [x.name, x.adminState])).toEqual([
      ['Orders_Public', 'enabled'],
      ['Orders_Partner', 'enabled'],
      ['Orders_Old', 'disabled'],
    ]);
    expect(object(o.objects, 'SSLServerProfile', 'Orders_Public')?.protocols).toEqual({ SSLv3: false, TLSv1d0: false, TLSv1d1: false, TLSv1d2: true, TLSv1d3: true });
    expect(object(o.objects, 'SSLClientProfile', 'Orders_Backend')).toMatchObject({ protocols: { TLSv1d2: true, TLSv1d3: true, TLSv1d1: false }, clientAuth: null, ciphers: ['ECDHE_RSA_WITH_AES_256_GCM_SHA384'] });
    expect(object(o.objects, 'CryptoValCred', 'Partner_ValCred')?.settings).toMatchObject({ CertValidationMode: 'legacy', RequireCRL: 'on' });
    expect(o.referrers.map((r) => [r.name, r.localPort, r.references[0]?.name])).toEqual([
      ['Orders_Public_HTTPS', '443', 'Orders_Public'],
      ['Orders_Partner_HTTPS', '8443', 'Orders_Partner'],
    ]);
    expect(o.firmware).toBe('IDG.10.5.0.0');
  });

  it('decodes the predefined entities and character references, and notes switches it cannot read', async () => {
    const xml = `<datapower-configuration version="3"><configuration domain="a&amp;b">
      <SSLServerProfile name="P&lt;1&gt;&#x41;&#66;"><Protocols><TLSv1d0>maybe</TLSv1d0><TLSv1d2>on</TLSv1d2><TLSv9>on</TLSv9></Protocols>
      <Ciphers>X&amp;Y</Ciphers></SSLServerProfile></configuration></datapower-configuration>`;
    const o = await readExportXml(xml, 'inline.xml');
    expect(o.domain).toBe('a&b');
    expect(o.objects[0]).toMatchObject({ name: 'P<1>AB', protocols: { TLSv1d2: true }, ciphers: ['X&Y'] });
    expect(o.objects[0]?.protocols).not.toHaveProperty('TLSv9');
    expect(o.notes).toEqual([`SSLServerProfile 'P<1>AB': Protocols > TLSv1d0 is "maybe", neither on nor off`]);
  });

  it('takes the export-details domain for a configuration that names none, and finds a firmware value by its shape', async () => {
    const xml = `<datapower-configuration version="3"><export-details><domain>dmz</domain><version>IDG.2018.4.1.0</version></export-details>
      <configuration><SSLClientProfile name="C"><Protocols><TLSv1d2>on</TLSv1d2></Protocols></SSLClientProfile></configuration></datapower-configuration>`;
    const o = await readExportXml(xml, 'inline.xml');
    expect(o).toMatchObject({ domain: 'dmz', domains: ['dmz'], firmware: 'IDG.2018.4.1.0', objects: [{ class: 'SSLClientProfile', domain: 'dmz' }] });
    expect(o.notes).toEqual(['a <configuration> element names no domain: taken as dmz']);
  });

  it('stops reading after 5000 TLS objects and says so', async () => {
    const certificates = Array.from({ length: 5_003 }, (_, i) => `<CryptoCertificate name="c${i}"><Filename>cert:///c${i}.pem</Filename></CryptoCertificate>`).join('');
    const o = await readExportXml(`<datapower-configuration version="3"><configuration domain="d">${certificates}</configuration></datapower-configuration>`, 'many.xml');
    expect(o.objects).toHaveLength(5_000);
    expect(o.notes).toEqual(['more than 5000 TLS objects and handlers: the rest of the export was not read']);
  });

  it('recognises an export by its start, not by a name', async () => {
    expect(looksLikeExportXml(readExportFixture('osc-pd-sslerror.xml'))).toBe(true);
    expect(looksLikeExportXml('\uFEFF  <datapower-configuration version="3">')).toBe(true);
    expect(looksLikeExportXml('<?xml version="1.0"?>\n<project><modelVersion>4.0.0</modelVersion></project>')).toBe(false);
    expect(looksLikeExportXml('20160601T140212.107Z [OSC_PD_SSLError][0x8120002f][ssl][error] <datapower-configuration')).toBe(false);
  });
});
