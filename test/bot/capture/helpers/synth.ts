import type { PcapRecord } from './pcap-edit.js';

// Hand-made TCP conversations for what no tool on the test machine sends any more (an SSLv2-format
// ClientHello, an nginx 400 answer) and for IPv6: Ethernet frames with correct lengths and
// sequence numbers (checksums are left zero; readers of captures do not verify them).

export interface Conversation {
  readonly v6?: boolean;
  readonly clientPort?: number;
  readonly serverPort?: number;
}

type Flags = { syn?: boolean; ack?: boolean; fin?: boolean; rst?: boolean };

export function conversation(options: Conversation = {}): {
  syn(): void;
  send(from: 'client' | 'server', payload: Buffer, flags?: Flags): void;
  close(from: 'client' | 'server', how: 'fin' | 'rst'): void;
  records: PcapRecord[];
} {
  const records: PcapRecord[] = [];
  const seq = { client: 1000, server: 5000 };
  const ports = { client: options.clientPort ?? 50000, server: options.serverPort ?? 443 };
  const time = 1_700_000_000;
  const push = (from: 'client' | 'server', payload: Buffer, flags: Flags): void => {
    const to = from === 'client' ? 'server' : 'client';
    const data = frame(options.v6 === true, from === 'client', ports[from], ports[to], seq[from], flags, payload);
    seq[from] = (seq[from] + payload.length + (flags.syn || flags.fin ? 1 : 0)) >>> 0;
    records.push({ sec: time, usec: records.length * 1000, data, original: data.length });
  };
  return {
    records,
    syn() {
      push('client', Buffer.alloc(0), { syn: true });
      push('server', Buffer.alloc(0), { syn: true, ack: true });
      push('client', Buffer.alloc(0), { ack: true });
    },
    send: (from, payload, flags = { ack: true }) => push(from, payload, flags),
    close: (from, how) => push(from, Buffer.alloc(0), how === 'fin' ? { fin: true, ack: true } : { rst: true }),
  };
}

function frame(v6: boolean, fromClient: boolean, sport: number, dport: number, seq: number, flags: Flags, payload: Buffer): Buffer {
  const tcp = Buffer.alloc(20);
  tcp.writeUInt16BE(sport, 0);
  tcp.writeUInt16BE(dport, 2);
  tcp.writeUInt32BE(seq, 4);
  tcp[12] = 5 << 4;
  tcp[13] = (flags.fin ? 1 : 0) | (flags.syn ? 2 : 0) | (flags.rst ? 4 : 0) | (flags.ack ? 16 : 0);
  tcp.writeUInt16BE(65535, 14);
  const body = Buffer.concat([tcp, payload]);
  const [a, b] = fromClient ? [1, 2] : [2, 1];
  let ip: Buffer;
  if (v6) {
    ip = Buffer.alloc(40);
    ip[0] = 0x60;
    ip.writeUInt16BE(body.length, 4);
    ip[6] = 6;
    ip[7] = 64;
    ip.writeUInt16BE(0x2001, 8);
    ip.writeUInt16BE(0x0db8, 10);
    ip[23] = a;
    ip.writeUInt16BE(0x2001, 24);
    ip.writeUInt16BE(0x0db8, 26);
    ip[39] = b;
  } else {
    ip = Buffer.alloc(20);
    ip[0] = 0x45;
    ip.writeUInt16BE(20 + body.length, 2);
    ip[8] = 64;
    ip[9] = 6;
    Buffer.from([192, 0, 2, a]).copy(ip, 12);
    Buffer.from([192, 0, 2, b]).copy(ip, 16);
  }
  const ethernet = Buffer.alloc(14);
  ethernet.writeUInt16BE(v6 ? 0x86dd : 0x0800, 12);
  return Buffer.concat([ethernet, ip, body]);
}

/** An SSLv2-format ClientHello (two-byte header) offering `version` and the given cipher kinds. */
export function sslv2Hello(version: number, kinds: readonly number[]): Buffer {
  const specs = Buffer.concat(kinds.map((k) => Buffer.from([(k >> 16) & 0xff, (k >> 8) & 0xff, k & 0xff])));
  const challenge = Buffer.alloc(16, 7);
  const body = Buffer.concat([Buffer.from([1, version >> 8, version & 0xff, 0, specs.length, 0, 0, 0, challenge.length]), specs, challenge]);
  return Buffer.concat([Buffer.from([0x80 | (body.length >> 8), body.length & 0xff]), body]);
}
