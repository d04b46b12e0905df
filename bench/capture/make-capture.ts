import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';

// Builds a large capture from a few real ones: each template connection (captured by tcpdump on lo
// from real openssl peers) is replayed thousands of times with its own client address, port and
// initial sequence numbers, interleaved with other open connections the way a busy port's capture
// interleaves them. Healthy connections carry bulk application data (TLS records cut into 1448-byte
// segments, acknowledged every fourth) so most of the bytes are traffic a summary must skip fast.

interface Segment {
  readonly fromClient: boolean;
  readonly flags: number;
  /** Sequence and acknowledgement numbers relative to each side's initial sequence number. */
  readonly seq: number;
  readonly ack: number;
  readonly tcpOptions: Buffer;
  readonly payload: Buffer;
}

const ETH = 14;
const MSS = 1448;
const ACK_EVERY = 4;

/** The first connection in a pcap written by tcpdump (little-endian, microseconds, Ethernet). */
export function readTemplate(file: string): Segment[] {
  const bytes = readFileSync(file);
  const segments: Segment[] = [];
  let isn: { client: number; server: number } | undefined;
  let clientPort = -1;
  for (let at = 24; at + 16 <= bytes.length; ) {
    const length = bytes.readUInt32LE(at + 8);
    const frame = bytes.subarray(at + 16, at + 16 + length);
    at += 16 + length;
    const ip = ETH;
    const tcp = ip + ((frame[ip] as number) & 0x0f) * 4;
    const dataOffset = ((frame[tcp + 12] as number) >> 4) * 4;
    const flags = frame[tcp + 13] as number;
    const sport = frame.readUInt16BE(tcp);
    const dport = frame.readUInt16BE(tcp + 2);
    if (clientPort < 0) clientPort = sport;
    if (sport !== clientPort && dport !== clientPort) continue;
    const fromClient = sport === clientPort;
    const seq = frame.readUInt32BE(tcp + 4);
    const ack = frame.readUInt32BE(tcp + 8);
    if (!isn) isn = { client: seq, server: 0 };
    if (!fromClient && flags & 0x02) isn.server = seq;
    const own = fromClient ? isn.client : isn.server;
    const other = fromClient ? isn.server : isn.client;
    segments.push({ fromClient, flags, seq: (seq - own) >>> 0, ack: flags & 0x10 ? (ack - other) >>> 0 : 0, tcpOptions: Buffer.from(frame.subarray(tcp + 20, tcp + dataOffset)), payload: Buffer.from(frame.subarray(tcp + dataOffset, ip + frame.readUInt16BE(ip + 2))) });
  }
  return segments;
}

/** Inserts `bytes` of server application data (and client ACKs) before the first FIN or RST. */
export function withBulk(segments: readonly Segment[], bytes: number, record: Buffer): Segment[] {
  if (bytes === 0) return [...segments];
  const cut = segments.findIndex((s) => (s.flags & 0x05) !== 0);
  const before = segments.slice(0, cut);
  const last = (fromClient: boolean): Segment | undefined => [...before].reverse().find((s) => s.fromClient === fromClient);
  const server = last(false) as Segment;
  const client = last(true) as Segment;
  const serverSeq = server.seq + server.payload.length;
  const clientSeq = client.seq + client.payload.length;
  const bulk: Segment[] = [];
  for (let sent = 0, n = 0; sent < bytes; n++) {
    const size = Math.min(MSS, bytes - sent);
    const offset = (serverSeq + sent) % record.length;
    const payload = offset + size <= record.length ? record.subarray(offset, offset + size) : Buffer.concat([record.subarray(offset), record.subarray(0, size - (record.length - offset))]);
    bulk.push({ fromClient: false, flags: 0x18, seq: serverSeq + sent, ack: clientSeq, tcpOptions: server.tcpOptions, payload });
    sent += size;
    if (n % ACK_EVERY === ACK_EVERY - 1 || sent >= bytes) bulk.push({ fromClient: true, flags: 0x10, seq: clientSeq, ack: serverSeq + sent, tcpOptions: client.tcpOptions, payload: Buffer.alloc(0) });
  }
  const shifted = segments.slice(cut).map((s) => (s.fromClient ? { ...s, ack: s.ack + bytes } : { ...s, seq: s.seq + bytes }));
  return [...before, ...bulk, ...shifted];
}

/** Application-data records (type 23) of 16 KB of noise, repeated as the bulk payload. */
export function bulkRecord(): Buffer {
  const body = Buffer.alloc(16384 + 17);
  for (let i = 0; i < body.length; i++) body[i] = (i * 2654435761) >>> 24;
  return Buffer.concat([Buffer.from([23, 3, 3, body.length >> 8, body.length & 0xff]), body]);
}

/** A pcap file's global header: microsecond timestamps, Ethernet frames. */
export function pcapFileHeader(snapLength = 65535): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(snapLength, 16);
  header.writeUInt32LE(1, 20);
  return header;
}

/** Writes `connections` replays, `window` of them open at once, to a pcap; returns packets written. */
export function writeBigCapture(file: string, templates: readonly { segments: Segment[]; weight: number }[], connections: number, window = 64): number {
  const fd = openSync(file, 'w');
  const header = pcapFileHeader(262144);
  const out: Buffer[] = [header];
  let pending = header.length;
  let random = 0x2545f491;
  const next = (): number => ((random = (Math.imul(random, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const total = templates.reduce((n, t) => n + t.weight, 0);
  const pick = (): Segment[] => {
    let r = next() * total;
    for (const t of templates) if ((r -= t.weight) < 0) return t.segments;
    return (templates[0] as { segments: Segment[] }).segments;
  };
  let started = 0;
  let packets = 0;
  let clock = 1_700_000_000 * 1e6;
  const open: { id: number; segments: Segment[]; at: number; isn: [number, number] }[] = [];
  while (started < connections || open.length > 0) {
    while (open.length < window && started < connections) open.push({ id: started++, segments: pick(), at: 0, isn: [(next() * 2 ** 32) >>> 0, (next() * 2 ** 32) >>> 0] });
    const i = Math.floor(next() * open.length);
    const c = open[i] as (typeof open)[number];
    const frame = encode(c.segments[c.at] as Segment, c.id, c.isn);
    clock += 50;
    const record = Buffer.alloc(16);
    record.writeUInt32LE(Math.floor(clock / 1e6), 0);
    record.writeUInt32LE(clock % 1e6, 4);
    record.writeUInt32LE(frame.length, 8);
    record.writeUInt32LE(frame.length, 12);
    out.push(record, frame);
    pending += 16 + frame.length;
    packets += 1;
    if (++c.at >= c.segments.length) open.splice(i, 1);
    if (pending > 4 * 1024 * 1024) {
      writeSync(fd, Buffer.concat(out));
      out.length = 0;
      pending = 0;
    }
  }
  writeSync(fd, Buffer.concat(out));
  closeSync(fd);
  return packets;
}

/** Ethernet + IPv4 + TCP for connection `id`: client 10.x.y.z, server 192.0.2.10:443. */
function encode(s: Segment, id: number, isn: [number, number]): Buffer {
  const tcpLength = 20 + s.tcpOptions.length;
  const frame = Buffer.alloc(ETH + 20 + tcpLength + s.payload.length);
  frame.writeUInt16BE(0x0800, 12);
  frame[ETH] = 0x45;
  frame.writeUInt16BE(20 + tcpLength + s.payload.length, ETH + 2);
  frame[ETH + 8] = 64;
  frame[ETH + 9] = 6;
  const client = [10, (id >> 16) & 0xff, (id >> 8) & 0xff, id & 0xff];
  const server = [192, 0, 2, 10];
  Buffer.from(s.fromClient ? client : server).copy(frame, ETH + 12);
  Buffer.from(s.fromClient ? server : client).copy(frame, ETH + 16);
  const tcp = ETH + 20;
  const clientPort = 20000 + (id % 40000);
  frame.writeUInt16BE(s.fromClient ? clientPort : 443, tcp);
  frame.writeUInt16BE(s.fromClient ? 443 : clientPort, tcp + 2);
  const [own, other] = s.fromClient ? isn : [isn[1], isn[0]];
  frame.writeUInt32BE((own + s.seq) >>> 0, tcp + 4);
  frame.writeUInt32BE(s.flags & 0x10 ? (other + s.ack) >>> 0 : 0, tcp + 8);
  frame[tcp + 12] = (tcpLength / 4) << 4;
  frame[tcp + 13] = s.flags;
  frame.writeUInt16BE(65535, tcp + 14);
  s.tcpOptions.copy(frame, tcp + 20);
  s.payload.copy(frame, tcp + tcpLength);
  return frame;
}
