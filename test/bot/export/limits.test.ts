import { describe, expect, it } from 'vitest';
import { exportFromText, exportFromZip } from '../../../bot/export/evidence.js';
import { DEFAULT_XML_LIMITS, readExportXml, readExportZip, type XmlLimits, type XmlMeter } from '../../../bot/export/read.js';
import { manyAttributes, manyElements, zipOf } from '../../../bench/attacks/inputs.js';
import { refusalOf } from './helpers.js';

// The bounds of issue 16 on DataPower export XML: every kind of work is counted and each limit is
// named when it is passed (input.xml.*). The attack pass's inputs are the test inputs: 8.38
// million <a/> in a 32 KB zip (3.4 GB and 22 s before), one element with 1.3 million attributes
// (2 GB), the same XML pasted as text (2.2 GB). The meter shows where reading stopped: the work
// done, not the time it took.

const meter = (): XmlMeter => ({ chars: 0, elements: 0, attributes: 0, kept: 0 });


const ROOT = (inner: string): string => `<datapower-configuration version="3">${inner}</datapower-configuration>`;

describe('export XML limits (input.xml)', () => {
  it('refuses 8.38 million elements in a 32 KB zip at maxElements, having read only that far', async () => {
    const inflated = manyElements(8_380_000);
    const zip = zipOf('export.xml', inflated);
    expect(zip.length).toBeLessThan(64 * 1024);
    const m = meter();
    const error = await refusalOf(() => readExportZip(zip, 'attack.zip', DEFAULT_XML_LIMITS, m));
    expect(error).toMatchObject({ code: 'INPUT_TOO_LARGE', message: 'attack.zip: export.xml holds more than 200000 XML elements: refused (limit input.xml.maxElements; a DataPower domain export stays far below it)' });
    expect(m.elements).toBe(DEFAULT_XML_LIMITS.maxElements + 1);
    // It stopped about 200 001 x 4 bytes in, not at the end of 33.5 MB.
    expect(m.chars).toBeLessThan(1024 * 1024);
    expect(inflated.length).toBeGreaterThan(33_000_000);
  });

  it('refuses one element with 1.3 million attributes at maxAttributesPerElement', async () => {
    const m = meter();
    const error = await refusalOf(() => readExportZip(zipOf('export.xml', manyAttributes(1_300_000)), 'attrs.zip', DEFAULT_XML_LIMITS, m));
    expect(error.message).toBe('attrs.zip: export.xml has an element with more than 64 attributes (<a>): refused (limit input.xml.maxAttributesPerElement; a DataPower domain export stays far below it)');
    // The root's version="3", then 65 of <a>'s 1.3 million.
    expect(m.attributes).toBe(1 + DEFAULT_XML_LIMITS.maxAttributesPerElement + 1);
  });

  it('refuses the same XML pasted as text, as a problem of the paste', async () => {
    const pasted = `here is our export:\n${manyElements(5_000_000).toString('latin1')}`;
    expect(await exportFromText(pasted, 'paste')).toEqual({ problem: 'paste holds more than 200000 XML elements: refused (limit input.xml.maxElements; a DataPower domain export stays far below it)' });
    expect(await exportFromZip(zipOf('export.xml', manyAttributes(100)), 'a.zip')).toEqual({ problem: expect.stringContaining('limit input.xml.maxAttributesPerElement') });
  });

  it('names every other limit: attributes in all, depth, attribute length, text length', async () => {
    const small: XmlLimits = { maxElements: 1000, maxAttributesPerElement: 8, maxAttributes: 100, maxDepth: 8, maxAttributeChars: 1024, maxTextChars: 2048 };
    const cases: [string, string][] = [
      [ROOT('<a x="1" y="2" z="3"/>'.repeat(40)), 'holds more than 100 XML attributes: refused (limit input.xml.maxAttributes;'],
      [ROOT('<a>'.repeat(8) + '</a>'.repeat(8)), 'nests elements more than 8 deep: refused (limit input.xml.maxDepth;'],
      [ROOT(`<a v="${'x'.repeat(1025)}"/>`), 'has an attribute value longer than 1024 characters (v of <a>): refused (limit input.xml.maxAttributeChars;'],
      [ROOT(`<a>${'x'.repeat(1000)}<!-- -->${'y'.repeat(1000)}<![CDATA[${'z'.repeat(100)}]]></a>`), '<a> holds more than 2048 characters of text: refused (limit input.xml.maxTextChars;'],
      [ROOT('<a/>'.repeat(1001)), 'holds more than 1000 XML elements: refused (limit input.xml.maxElements;'],
    ];
    for (const [xml, message] of cases) {
      for (const input of [xml, Buffer.from(xml)]) {
        const error = await refusalOf(() => readExportXml(input, 'x.xml', small));
        expect(error).toMatchObject({ code: 'INPUT_TOO_LARGE', message: `x.xml ${message} a DataPower domain export stays far below it)` });
      }
    }
    // One under each limit is read.
    await expect(readExportXml(ROOT(`<a v="${'x'.repeat(1024)}">${'t'.repeat(2048)}</a>${'<b/>'.repeat(998)}`), 'ok.xml', small)).resolves.toMatchObject({ name: 'ok.xml' });
  });

  it('keeps only what is read: elements outside configuration and export-details are counted, not kept', async () => {
    const files = Array.from({ length: 50_000 }, (_, i) => `<file name="f${i}">${'QUJD'.repeat(4)}</file>`).join('');
    const m = meter();
    const o = await readExportXml(Buffer.from(ROOT(`<configuration domain="d"><SSLServerProfile name="p"><Protocols><TLSv1d2>on</TLSv1d2></Protocols></SSLServerProfile></configuration><files>${files}</files>`)), 'files.xml', DEFAULT_XML_LIMITS, m);
    expect(o.objects).toHaveLength(1);
    expect(m.elements).toBe(50_006);
    expect(m.kept).toBe(5);
  });

  it('lets the event loop turn while it reads a big export', async () => {
    const big = ROOT(`<export-details><comment>${'c'.repeat(8_000_000)}</comment></export-details><configuration domain="d">${'<CryptoCertificate name="c"/>'.repeat(100_000)}</configuration>`);
    let turns = 0;
    let reading = true;
    const count = (): void => {
      turns += 1;
      if (reading) setImmediate(count);
    };
    setImmediate(count);
    await readExportXml(Buffer.from(big), 'big.xml');
    reading = false;
    // 11 MB read 256 KiB at a time: dozens of turns in between.
    expect(turns).toBeGreaterThan(20);
  });

  it('refuses a DTD where it meets it, reading bytes as well as text', async () => {
    const dtd = `<!DOCTYPE datapower-configuration [<!ENTITY x "y">]>${ROOT('')}`;
    for (const input of [dtd, Buffer.from(dtd)]) expect((await refusalOf(() => readExportXml(input, 'd.xml'))).message).toMatch(/^d\.xml declares a DOCTYPE or ENTITY; DataPower exports have none/);
    expect((await readExportXml(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(ROOT('<configuration domain="bom"/>'))]), 'bom.xml')).domain).toBe('bom');
  });
});
