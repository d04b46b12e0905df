import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { readExportXml, readExportZip } from '../../../bot/export/read.js';
import { crc32, listZip } from '../../../bot/export/zip.js';
import { sniffFileKind } from '../../../bot/file-kind.js';
import { exportZip, readExportFixture, tempDir } from './helpers.js';

// A domain export is usually a zip holding export.xml plus files. The zips here are made by the
// `zip` command (deflated, and stored with -0) from the hand-written XML fixtures.

const t = tempDir();
afterAll(() => t.cleanup());

describe('export zips', () => {
  it.each([
    ['deflated', false],
    ['stored (zip -0)', true],
  ])('reads export.xml from a %s zip exactly as the XML itself', async (_, stored) => {
    const xml = readExportFixture('orders-multi-profile.xml');
    const zip = exportZip(t, xml, { stored });
    expect(listZip(zip, 'z')[0]).toMatchObject({ name: 'export.xml', method: stored ? 0 : 8, size: Buffer.byteLength(xml) });
    const fromZip = await readExportZip(zip, 'orders.zip');
    const fromXml = await readExportXml(xml, 'orders.zip');
    expect(fromZip.format).toBe('zip');
    expect({ ...fromZip, format: 'xml' }).toEqual(fromXml);
    expect(fromZip.objects).toHaveLength(6);
  });

  it('finds export.xml among the domain files, at the top level or in a folder', async () => {
    t.write('pack/local/transform.xsl', '<xsl:stylesheet/>');
    t.write('pack/export.xml', readExportFixture('osc-pd-sslerror.xml'));
    t.write('pack/sub/export.xml', readExportFixture('legacy-protocols.xml'));
    const zip = readFileSync(t.zip(['-q', '-r', 'nested.zip', 'pack']));
    // pack/export.xml is shallower than pack/sub/export.xml: it is the domain's own export.
    expect((await readExportZip(zip, 'nested.zip')).domain).toBe('OSC_PD_SSLError');
  });

  it('is recognised as a DataPower export upload by its bytes, whatever its name', async () => {
    const zip = exportZip(t, readExportFixture('osc-pd-sslerror.xml'));
    expect(sniffFileKind(zip, 'backup.bin')).toBe('datapower-export');
  });

  it('checks CRC-32 as zip computes it', async () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
    const xml = readExportFixture('legacy-protocols.xml');
    expect(listZip(exportZip(t, xml), 'z')[0]?.crc).toBe(crc32(Buffer.from(xml)));
  });
});
