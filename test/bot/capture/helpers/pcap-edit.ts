// Rewrites of a real capture (tcpdump's little-endian microsecond pcap of Ethernet frames on lo)
// into the variants a capture reader meets elsewhere: other byte orders and timestamp units, other
// link layers, pcapng, cut snap lengths, and TCP segments split, reordered, repeated or lost.

export interface PcapRecord {
  sec: number;
  usec: number;
  data: Buffer;
  /** Length on the wire. */
  original: number;
}

export function parsePcap(file: Buffer): PcapRecord[] {
  if (file.readUInt32LE(0) !== 0xa1b2c3d4) throw new Error('expected a little-endian microsecond pcap');
  const records: PcapRecord[] = [];
  for (let at = 24; at + 16 <= file.length; ) {
    const length = file.readUInt32LE(at + 8);
    records.push({ sec: file.readUInt32LE(at), usec: file.readUInt32LE(at + 4), data: Buffer.from(file.subarray(at + 16, at + 16 + length)), original: file.readUInt32LE(at + 12) });
    at += 16 + length;
  }
  return records;
}

export function writePcap(records: readonly PcapRecord[], options: { bigEndian?: boolean; nano?: boolean; linkType?: number } = {}): Buffer {
  const u32 = (v: number): Buffer => {
    const b = Buffer.alloc(4);
    if (options.bigEndian) b.writeUInt32BE(v >>> 0);
    else b.writeUInt32LE(v >>> 0);
    return b;
  };
  const u16 = (v: number): Buffer => {
    const b = Buffer.alloc(2);
    if (options.bigEndian) b.writeUInt16BE(v);
    else b.writeUInt16LE(v);
    return b;
  };
  const header = Buffer.concat([u32(options.nano ? 0xa1b23c4d : 0xa1b2c3d4), u16(2), u16(4), u32(0), u32(0), u32(262144), u32(options.linkType ?? 1)]);
  const body = records.flatMap((r) => [u32(r.sec), u32(options.nano ? r.usec * 1000 : r.usec), u32(r.data.length), u32(r.original), r.data]);
  return Buffer.concat([header, ...body]);
}

/** pcapng: a section header, one interface (link type, optional if_tsresol), then EPBs or SPBs. */
export function writePcapng(records: readonly PcapRecord[], options: { bigEndian?: boolean; simple?: boolean; nanoResolution?: boolean; linkType?: number } = {}): Buffer {
  const u32 = (v: number): Buffer => (options.bigEndian ? Buffer.from([v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]) : Buffer.from([v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24]));
  const u16 = (v: number): Buffer => (options.bigEndian ? Buffer.from([v >> 8, v & 0xff]) : Buffer.from([v & 0xff, v >> 8]));
  const pad = (b: Buffer): Buffer => Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);
  const block = (type: number, body: Buffer): Buffer => Buffer.concat([u32(type), u32(body.length + 12), body, u32(body.length + 12)]);
  const shb = block(0x0a0d0d0a, Buffer.concat([u32(0x1a2b3c4d), u16(1), u16(0), u32(0xffffffff), u32(0xffffffff)]));
  const tsresol = options.nanoResolution ? Buffer.concat([u16(9), u16(1), Buffer.from([9, 0, 0, 0])]) : Buffer.alloc(0);
  const idb = block(1, Buffer.concat([u16(options.linkType ?? 1), u16(0), u32(262144), tsresol, options.nanoResolution ? Buffer.concat([u16(0), u16(0)]) : Buffer.alloc(0)]));
  const packets = records.map((r) => {
    if (options.simple) return block(3, Buffer.concat([u32(r.original), pad(r.data)]));
    const units = options.nanoResolution ? BigInt(r.sec) * 1_000_000_000n + BigInt(r.usec) * 1000n : BigInt(r.sec) * 1_000_000n + BigInt(r.usec);
    return block(6, Buffer.concat([u32(0), u32(Number(units >> 32n)), u32(Number(units & 0xffffffffn)), u32(r.data.length), u32(r.original), pad(r.data)]));
  });
  return Buffer.concat([shb, idb, ...packets]);
}

/** Replaces each frame's 14-byte Ethernet header with another link layer's header. */
export function relink(records: readonly PcapRecord[], link: 'sll' | 'sll2' | 'raw' | 'null' | 'vlan'): PcapRecord[] {
  return records.map((r) => {
    const ethertype = r.data.subarray(12, 14);
    const ip = r.data.subarray(14);
    const head = {
      sll: Buffer.concat([Buffer.from([0, 0, 0, 1, 0, 6]), Buffer.alloc(8), ethertype]),
      sll2: Buffer.concat([ethertype, Buffer.from([0, 0, 0, 0, 0, 1, 0, 1, 0, 6]), Buffer.alloc(8)]),
      raw: Buffer.alloc(0),
      null: Buffer.from([2, 0, 0, 0]),
      vlan: Buffer.concat([r.data.subarray(0, 12), Buffer.from([0x81, 0x00, 0x00, 0x2a]), ethertype]),
    }[link];
    const data = Buffer.concat([head, ip]);
    return { ...r, data, original: r.original - r.data.length + data.length };
  });
}

export const LINK_TYPE = { sll: 113, sll2: 276, raw: 101, null: 0, vlan: 1 } as const;

const ETH = 14;

/** TCP payload bounds of an Ethernet/IPv4 frame. */
function payloadOf(frame: Buffer): { start: number; end: number } {
  const ipHeader = ((frame[ETH] as number) & 0x0f) * 4;
  const tcp = ETH + ipHeader;
  return { start: tcp + ((frame[tcp + 12] as number) >> 4) * 4, end: ETH + frame.readUInt16BE(ETH + 2) };
}

export function payloadLength(r: PcapRecord): number {
  const { start, end } = payloadOf(r.data);
  return end - start;
}

/** Splits a data frame into segments at the given payload offsets (sequence numbers and lengths fixed up). */
export function splitSegment(r: PcapRecord, cuts: readonly number[]): PcapRecord[] {
  const { start, end } = payloadOf(r.data);
  const seq = r.data.readUInt32BE(ETH + ((r.data[ETH] as number) & 0x0f) * 4 + 4);
  const bounds = [0, ...cuts, end - start];
  const pieces: PcapRecord[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const [from, to] = [bounds[i] as number, bounds[i + 1] as number];
    const data = Buffer.concat([r.data.subarray(0, start), r.data.subarray(start + from, start + to)]);
    data.writeUInt16BE(start - ETH + (to - from), ETH + 2);
    const tcp = ETH + ((data[ETH] as number) & 0x0f) * 4;
    data.writeUInt32BE((seq + from) >>> 0, tcp + 4);
    pieces.push({ ...r, data, original: data.length });
  }
  return pieces;
}

/** Keeps only the first `snap` bytes of every frame, as tcpdump -s would. */
export function snap(records: readonly PcapRecord[], length: number): PcapRecord[] {
  return records.map((r) => ({ ...r, data: r.data.subarray(0, Math.min(length, r.data.length)) }));
}
