import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectExport, readExportXml, readExportZip } from '../../../bot/export/read.js';
import { MAX_EXPORT_XML_BYTES } from '../../../bot/export/xml.js';
import { exportZip, readExportFixture, refusalOf, tempDir } from './helpers.js';

// Whatever is uploaded is untrusted: entity tricks, huge or deeply nested XML, things that are not
// XML or not DataPower, zip bombs and damaged zips all end in a TriageError that says what is
// wrong, never in a crash, a hang or an expanded entity.

const t = tempDir();
afterAll(() => t.cleanup());


const LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE datapower-configuration [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<datapower-configuration version="3"><configuration domain="d"><SSLServerProfile name="&lol3;"/></configuration></datapower-configuration>`;

describe('hostile XML', () => {
  it('refuses a billion-laughs DTD by name, before parsing', async () => {
    const error = await refusalOf(() => readExportXml(LAUGHS, 'laughs.xml'));
    expect(error).toMatchObject({ code: 'INPUT_UNREADABLE', message: expect.stringMatching(/^laughs\.xml declares a DOCTYPE or ENTITY; .*entity expansion is refused/) });
  });

  it('refuses an external entity and never reads the file it names', async () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/hostname">]><datapower-configuration version="3"><export-details><comment>&secret;</comment></export-details></datapower-configuration>`;
    const inspected = await inspectExport({ text: xxe }, 'xxe.xml');
    expect(inspected).toEqual({ problem: expect.stringMatching(/^xxe\.xml declares a DOCTYPE or ENTITY/) });
  });

  it('leaves an undeclared entity reference as text instead of expanding anything', async () => {
    const o = await readExportXml('<datapower-configuration version="3"><configuration domain="d"><SSLServerProfile name="&lol9;"/></configuration></datapower-configuration>', 'e.xml');
    expect(o.objects[0]?.name).toBe('&lol9;');
  });

  it('refuses XML over the size cap without parsing it', async () => {
    const big = `<datapower-configuration version="3"><!--${'x'.repeat(MAX_EXPORT_XML_BYTES)}--></datapower-configuration>`;
    const started = performance.now();
    expect(await refusalOf(() => readExportXml(big, 'big.xml'))).toMatchObject({ code: 'INPUT_TOO_LARGE', message: expect.stringMatching(/^big\.xml is \d+ characters of XML, over the 33554432-byte limit/) });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses deep nesting with a message, not a stack overflow', async () => {
    const deep = `<datapower-configuration version="3">${'<a>'.repeat(20_000)}${'</a>'.repeat(20_000)}</datapower-configuration>`;
    expect(await refusalOf(() => readExportXml(deep, 'deep.xml'))).toMatchObject({ code: 'INPUT_TOO_LARGE', message: expect.stringMatching(/^deep\.xml nests elements more than 64 deep: refused \(limit input\.xml\.maxDepth;/) });
  });

  it('says what it got instead of an export: not XML, other XML, a SOMA request, broken XML', async () => {
    expect((await refusalOf(() => readExportXml('just some words, not xml', 'notes.txt'))).message).toBe('notes.txt is not XML: it does not start with an element (a DataPower export starts with <datapower-configuration>)');
    expect((await refusalOf(() => readExportXml('<?xml version="1.0"?>\n<project><modelVersion>4.0.0</modelVersion></project>', 'pom.xml'))).message).toBe(
      'pom.xml is XML but not a DataPower configuration export: its root element is <project>, not <datapower-configuration>',
    );
    const soma = '<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Body><dp:request domain="d" xmlns:dp="http://www.datapower.com/schemas/management"/></env:Body></env:Envelope>';
    expect((await refusalOf(() => readExportXml(soma, 'soma.xml'))).message).toMatch(/root element is <env:Envelope>.*a SOMA request is not read/);
    expect((await refusalOf(() => readExportXml('<datapower-configuration version="3"><configuration domain="d"></datapower-configuration>', 'cut.xml'))).message).toMatch(/^cut\.xml is not well-formed XML \(line 1, column \d+\): /);
    expect((await refusalOf(() => readExportXml(Buffer.from([0x00, 0xff, 0x13, 0x37, 0x3c]).toString('latin1'), 'bin.xml'))).message).toMatch(/^bin\.xml is not XML/);
  });
});

describe('hostile zips', () => {
  it('refuses a zip bomb by its declared size, before inflating', async () => {
    // 40 MB of zeros from standard input, renamed to export.xml: a few kilobytes of zip.
    execFileSync('sh', ['-c', 'head -c 40000000 /dev/zero | zip -q -fz- bomb.zip - && printf "@ -\\n@=export.xml\\n" | zipnote -w bomb.zip'], { cwd: t.dir });
    const bomb = readFileSync(`${t.dir}/bomb.zip`);
    expect(bomb.length).toBeLessThan(200_000);
    expect(await refusalOf(() => readExportZip(bomb, 'bomb.zip'))).toMatchObject({ code: 'INPUT_TOO_LARGE', message: 'bomb.zip: export.xml unpacks to 40000000 bytes, over the 33554432-byte limit for a domain export' });
  });

  it('stops inflating at the declared size when the header lies', async () => {
    const padded = readExportFixture('osc-pd-sslerror.xml').replace('</datapower-configuration>', `<!--${' '.repeat(200_000)}--></datapower-configuration>`);
    const zip = exportZip(t, padded);
    const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    zip.writeUInt32LE(1000, central + 24); // uncompressed size: 1000 instead of ~204 KB
    expect((await refusalOf(() => readExportZip(zip, 'liar.zip'))).message).toBe('liar.zip: export.xml unpacks to more than the 1000 bytes its header declares: refused (a zip bomb, or a damaged file)');
  });

  it('names garbage, truncation and corruption', async () => {
    expect((await refusalOf(() => readExportZip(Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(300, 7)]), 'junk.zip'))).message).toBe('junk.zip is not a readable zip file (no end-of-central-directory record)');
    const good = exportZip(t, readExportFixture('osc-pd-sslerror.xml'), { stored: true });
    expect((await refusalOf(() => readExportZip(good.subarray(0, good.length - 30), 'cut.zip'))).message).toMatch(/^cut\.zip is not a readable zip file/);
    const flipped = Buffer.from(good);
    const at = flipped.indexOf('SSLError_SSLServer');
    flipped[at] = 0x58; // 'S' -> 'X' inside the stored export.xml
    expect((await refusalOf(() => readExportZip(flipped, 'flip.zip'))).message).toBe('flip.zip: export.xml: the file is damaged (CRC-32 mismatch)');
    const badDirectory = Buffer.from(good);
    badDirectory.writeUInt32LE(0x10000000, badDirectory.length - 6); // central directory offset past the end
    expect((await refusalOf(() => readExportZip(badDirectory, 'dir.zip'))).message).toBe('dir.zip is damaged: its central directory lies outside the file');
  });

  it('refuses encrypted, zip64 and bzip2 zips with a reason', async () => {
    t.write('export.xml', readExportFixture('osc-pd-sslerror.xml'));
    const encrypted = readFileSync(t.zip(['-q', '-P', 'secret', 'enc.zip', 'export.xml']));
    expect((await refusalOf(() => readExportZip(encrypted, 'enc.zip'))).message).toBe('enc.zip: export.xml is encrypted; export the domain without a password');
    const zip64 = readFileSync(t.zip(['-q', '-fz', 'z64.zip', 'export.xml']));
    expect((await refusalOf(() => readExportZip(zip64, 'z64.zip'))).message).toMatch(/^z64\.zip(?:: export\.xml)? is a zip64 (?:archive|entry), which tls-triage does not read/);
    const bzip2 = readFileSync(t.zip(['-q', '-Z', 'bzip2', 'bz.zip', 'export.xml']));
    expect((await refusalOf(() => readExportZip(bzip2, 'bz.zip'))).message).toBe('bz.zip: export.xml uses compression method 12; tls-triage reads stored and deflated entries only');
  });

  it('says when a zip is not an export, and when its export.xml is not one either', async () => {
    t.write('notes.txt', 'hello');
    const other = readFileSync(t.zip(['-q', 'other.zip', 'notes.txt']));
    expect((await refusalOf(() => readExportZip(other, 'other.zip'))).message).toBe('other.zip is a zip without export.xml, so not a DataPower domain export (it holds notes.txt)');
    const laughs = exportZip(t, LAUGHS);
    expect((await refusalOf(() => readExportZip(laughs, 'laughs.zip'))).message).toMatch(/^laughs\.zip: export\.xml declares a DOCTYPE or ENTITY/);
  });
});
