// From a captured frame to its TCP segment: the link layers tcpdump and Wireshark write on the
// platforms people capture on (Ethernet with VLAN tags, Linux cooked v1/v2, raw IP, BSD loopback),
// then IPv4/IPv6 and TCP. Fragments and other protocols are skipped: a TLS handshake rides on
// unfragmented TCP in practice, and a missing fragment shows up as a gap in the stream.

export interface TcpSegment {
  /**
   * Each endpoint as one number for IPv4 (address * 65536 + port, below 2^48) or as "[v6]:port"
   * text: a capture has hundreds of thousands of packets, and numbers compare and hash without
   * building a string per packet.
   */
  readonly source: number | string;
  readonly destination: number | string;
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly seq: number;
  readonly flags: number;
  /** The captured part of the payload (a view: copy what you keep). */
  readonly payload: Buffer;
  /** Payload length on the wire; more than payload.length when the snap length cut it. */
  readonly payloadLength: number;
}

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_ACK = 0x10;

export type Decoded = TcpSegment | 'not-tcp' | 'unsupported-link';

const EMPTY = Buffer.alloc(0);
const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const VLAN_TAGS = [0x8100, 0x88a8, 0x9100];

/** Link types this reader understands, with their names for messages. */
export const LINK_TYPES: Readonly<Record<number, string>> = {
  0: 'BSD loopback', 1: 'Ethernet', 12: 'raw IP', 14: 'raw IP', 101: 'raw IP', 108: 'OpenBSD loopback',
  113: 'Linux cooked (SLL)', 228: 'raw IPv4', 229: 'raw IPv6', 276: 'Linux cooked v2 (SLL2)',
};

export function decodeFrame(linkType: number, data: Buffer, originalLength: number): Decoded {
  const ip = ipOffset(linkType, data);
  if (ip === undefined) return 'unsupported-link';
  if (ip < 0 || ip >= data.length) return 'not-tcp';
  // Bytes the link layer took off the wire: the IP lengths below count from the IP header.
  const cut = originalLength - data.length;
  const version = (data[ip] as number) >> 4;
  if (version === 4) return ipv4(data, ip, cut);
  if (version === 6) return ipv6(data, ip, cut);
  return 'not-tcp';
}

/** Offset of the IP header; undefined for an unknown link type, -1 for a frame that carries no IP. */
function ipOffset(linkType: number, data: Buffer): number | undefined {
  switch (linkType) {
    case 1: {
      let at = 12;
      let type = data.length >= 14 ? data.readUInt16BE(12) : 0;
      while (VLAN_TAGS.includes(type) && data.length >= at + 6) {
        at += 4;
        type = data.readUInt16BE(at);
      }
      return type === ETHERTYPE_IPV4 || type === ETHERTYPE_IPV6 ? at + 2 : -1;
    }
    case 113:
      return data.length >= 16 && isIpType(data.readUInt16BE(14)) ? 16 : -1;
    case 276:
      return data.length >= 20 && isIpType(data.readUInt16BE(0)) ? 20 : -1;
    case 0: {
      if (data.length < 4) return -1;
      // The address family is in the byte order of the machine that captured: either will do.
      const family = data.readUInt32LE(0) > 0xffff ? data.readUInt32BE(0) : data.readUInt32LE(0);
      return [2, 24, 28, 30].includes(family) ? 4 : -1;
    }
    case 108:
      return data.length >= 4 && [2, 24, 28, 30].includes(data.readUInt32BE(0)) ? 4 : -1;
    case 12:
    case 14:
    case 101:
    case 228:
    case 229:
      return 0;
    default:
      return undefined;
  }
}

function isIpType(type: number): boolean {
  return type === ETHERTYPE_IPV4 || type === ETHERTYPE_IPV6;
}

function ipv4(d: Buffer, at: number, cut: number): Decoded {
  if (d.length < at + 20) return 'not-tcp';
  const headerLength = ((d[at] as number) & 0x0f) * 4;
  const fragment = d.readUInt16BE(at + 6) & 0x3fff;
  if (d[at + 9] !== 6 || fragment !== 0 || headerLength < 20) return 'not-tcp';
  const total = d.readUInt16BE(at + 2);
  // Total length 0: a segment captured before the NIC split it (TSO); the frame length says it all.
  const end = total === 0 ? d.length + cut : at + total;
  return tcp(d, at + headerLength, end, d.readUInt32BE(at + 12), d.readUInt32BE(at + 16));
}

const IPV6_EXTENSIONS = [0, 43, 60];

function ipv6(d: Buffer, at: number, cut: number): Decoded {
  if (d.length < at + 40) return 'not-tcp';
  const payload = d.readUInt16BE(at + 4);
  const end = payload === 0 ? d.length + cut : at + 40 + payload;
  let next = d[at + 6] as number;
  let header = at + 40;
  while (IPV6_EXTENSIONS.includes(next) && d.length >= header + 8) {
    next = d[header] as number;
    header += ((d[header + 1] as number) + 1) * 8;
  }
  if (next !== 6) return 'not-tcp';
  return tcp(d, header, end, ipv6Text(d, at + 8), ipv6Text(d, at + 24));
}

function tcp(d: Buffer, at: number, ipEnd: number, source: number | string, destination: number | string): Decoded {
  if (d.length < at + 20) return 'not-tcp';
  const dataOffset = ((d[at + 12] as number) >> 4) * 4;
  if (dataOffset < 20) return 'not-tcp';
  const sourcePort = d.readUInt16BE(at);
  const destinationPort = d.readUInt16BE(at + 2);
  const start = at + dataOffset;
  // Ethernet pads short frames: bytes past the IP length are not payload.
  const captured = Math.max(0, Math.min(d.length, ipEnd) - start);
  const endpoint = (ip: number | string, port: number): number | string => (typeof ip === 'number' ? ip * 65536 + port : `[${ip}]:${port}`);
  return {
    source: endpoint(source, sourcePort),
    destination: endpoint(destination, destinationPort),
    sourcePort,
    destinationPort,
    seq: d.readUInt32BE(at + 4),
    flags: d[at + 13] as number,
    payload: captured === 0 ? EMPTY : d.subarray(start, start + captured),
    payloadLength: Math.max(captured, ipEnd - start),
  };
}

/** "a.b.c.d:port" or "[v6]:port" for an endpoint of a TcpSegment. */
export function endpointText(endpoint: number | string): string {
  if (typeof endpoint === 'string') return endpoint;
  const address = Math.floor(endpoint / 65536);
  return `${address >>> 24}.${(address >>> 16) & 0xff}.${(address >>> 8) & 0xff}.${address & 0xff}:${endpoint % 65536}`;
}

/** RFC 5952 text: lower-case hex, the longest run of zero groups (two or more) as "::". */
function ipv6Text(d: Buffer, at: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(d.readUInt16BE(at + i * 2));
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [best, bestLength] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLength).join(':')}`;
}
