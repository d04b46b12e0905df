// Streaming reader of capture files: classic pcap (either byte order, micro- or nanosecond
// timestamps) and pcapng (sections of either byte order, interfaces with their own link type and
// timestamp resolution; enhanced, simple and obsolete packet blocks). Bytes arrive in chunks of
// any size; only an unfinished record is carried over, so a 200 MB file never sits in memory.

export interface RawPacket {
  /** 1-based, as Wireshark numbers frames. */
  readonly index: number;
  readonly linkType: number;
  /** Seconds since the epoch; NaN when the file gives no usable time. */
  readonly time: number;
  /** The captured bytes: valid only during the callback (a view into the chunk being read). */
  readonly data: Buffer;
  /** Length on the wire; more than data.length when the snap length cut the packet. */
  readonly originalLength: number;
}

export class CaptureFormatError extends Error {
  override readonly name = 'CaptureFormatError';
}

export type CaptureFormat = 'pcap' | 'pcapng';

/** No link layer delivers frames this large; a length past it means the file is damaged there. */
const MAX_RECORD = 16 * 1024 * 1024;
const PCAPNG_SHB = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

interface Interface {
  readonly linkType: number;
  readonly snapLength: number;
  /** Timestamp units per second. */
  readonly units: number;
}

export class CaptureFileReader {
  private carry: Buffer = Buffer.alloc(0);
  private offset = 0; // file offset of carry[0], for messages
  private packets = 0;
  private stopped = false;
  private fmt: CaptureFormat | undefined;
  private little = true;
  private nano = false;
  private pcapLinkType = 0;
  private interfaces: Interface[] = [];
  readonly problems: string[] = [];

  constructor(private readonly onPacket: (packet: RawPacket) => void) {}

  get format(): CaptureFormat | undefined {
    return this.fmt;
  }

  push(chunk: Buffer): void {
    if (this.stopped) return;
    const input = this.finishCarried(chunk);
    const buf = this.carry.length > 0 ? Buffer.concat([this.carry, input]) : input;
    let at = 0;
    if (this.fmt === undefined) {
      if (buf.length < 28) {
        this.carry = Buffer.from(buf);
        return;
      }
      at = this.start(buf);
    }
    at = this.fmt === 'pcap' ? this.pcapRecords(buf, at) : this.pcapngBlocks(buf, at);
    this.offset += at;
    // Copy the unfinished tail: a view would pin the whole chunk until the next push.
    this.carry = this.stopped ? Buffer.alloc(0) : Buffer.from(buf.subarray(at));
  }

  /**
   * Completes the record the previous chunk ended in with just the bytes it lacks, rather than
   * copying the whole next chunk behind it; returns the rest of the chunk.
   */
  private finishCarried(chunk: Buffer): Buffer {
    let input = chunk;
    while (this.carry.length > 0 && this.fmt !== undefined && !this.stopped) {
      const want = this.missing(this.carry);
      if (want <= 0 || want > input.length) break;
      const record = Buffer.concat([this.carry, input.subarray(0, want)]);
      input = input.subarray(want);
      const used = this.fmt === 'pcap' ? this.pcapRecords(record, 0) : this.pcapngBlocks(record, 0);
      this.offset += used;
      this.carry = this.stopped ? Buffer.alloc(0) : record.subarray(used);
    }
    return input;
  }

  /** Bytes the carried tail needs to hold its next header or whole record; 0 when it cannot tell. */
  private missing(carry: Buffer): number {
    const header = this.fmt === 'pcap' ? 16 : 12;
    if (carry.length < header) return header - carry.length;
    // A new pcapng section may switch byte order: let the slow path read its header.
    if (this.fmt === 'pcapng' && carry.readUInt32LE(0) === PCAPNG_SHB) return 0;
    const length = this.fmt === 'pcap' ? 16 + this.u32(carry, 8) : this.u32(carry, 4);
    return length > MAX_RECORD + 16 ? 0 : length - carry.length;
  }

  /** Call at the end of input. `truncated`: the file ends inside a record (or was cut at a corrupt one). */
  end(): { format: CaptureFormat; truncated: boolean; packets: number } {
    if (this.fmt === undefined) {
      // A pcap header alone (24 bytes) is a valid, empty capture; anything shorter is not a capture.
      if (this.carry.length < 24) throw new CaptureFormatError(this.carry.length === 0 ? 'the file is empty' : `the file is only ${this.carry.length} bytes: too short for a capture header`);
      const rest = this.carry;
      this.carry = Buffer.alloc(0);
      const at = this.start(rest);
      this.carry = Buffer.from(rest.subarray(this.fmt === 'pcap' ? this.pcapRecords(rest, at) : this.pcapngBlocks(rest, at)));
    }
    const partial = this.carry.length > 0;
    if (partial) this.problems.push(`the file ends inside a packet (${this.carry.length} bytes of an unfinished record at byte ${this.offset}): the capture was cut short`);
    return { format: this.fmt as CaptureFormat, truncated: partial || this.stopped, packets: this.packets };
  }

  private start(buf: Buffer): number {
    const le = buf.readUInt32LE(0);
    const be = buf.readUInt32BE(0);
    if (le === PCAPNG_SHB) {
      this.fmt = 'pcapng';
      return 0;
    }
    for (const [value, little] of [[le, true], [be, false]] as const) {
      if (value === 0xa1b2c3d4 || value === 0xa1b23c4d) {
        this.fmt = 'pcap';
        this.little = little;
        this.nano = value === 0xa1b23c4d;
        this.pcapLinkType = this.u32(buf, 20) & 0xffff;
        return 24;
      }
    }
    throw new CaptureFormatError(`not a pcap or pcapng capture: it starts with ${buf.subarray(0, 4).toString('hex').replace(/(..)(?!$)/g, '$1 ')}`);
  }

  private pcapRecords(buf: Buffer, from: number): number {
    let at = from;
    while (buf.length - at >= 16) {
      const captured = this.u32(buf, at + 8);
      if (captured > MAX_RECORD) return this.corrupt(`packet record ${this.packets + 1} at byte ${this.offset + at} claims ${captured} bytes`, at);
      if (buf.length - at < 16 + captured) break;
      const time = this.u32(buf, at) + this.u32(buf, at + 4) / (this.nano ? 1e9 : 1e6);
      this.emit(this.pcapLinkType, time, buf.subarray(at + 16, at + 16 + captured), this.u32(buf, at + 12));
      at += 16 + captured;
    }
    return at;
  }

  private pcapngBlocks(buf: Buffer, from: number): number {
    let at = from;
    while (buf.length - at >= 12) {
      const type = this.u32(buf, at);
      if (type === PCAPNG_SHB) {
        const magic = buf.readUInt32LE(at + 8);
        if (magic !== BYTE_ORDER_MAGIC && buf.readUInt32BE(at + 8) !== BYTE_ORDER_MAGIC) return this.corrupt(`section header at byte ${this.offset + at} has no byte-order magic`, at);
        this.little = magic === BYTE_ORDER_MAGIC;
      }
      const length = this.u32(buf, at + 4);
      if (length < 12 || length % 4 !== 0 || length > MAX_RECORD) return this.corrupt(`block at byte ${this.offset + at} claims ${length} bytes`, at);
      if (buf.length - at < length) break;
      if (this.u32(buf, at + length - 4) !== length) return this.corrupt(`block at byte ${this.offset + at} does not end with its length`, at);
      this.block(type, buf.subarray(at + 8, at + length - 4), length);
      at += length;
    }
    return at;
  }

  private block(type: number, body: Buffer, length: number): void {
    if (type === PCAPNG_SHB) this.interfaces = [];
    else if (type === 1 && body.length >= 8) this.interfaces.push({ linkType: this.u16(body, 0), snapLength: this.u32(body, 4), units: this.resolution(body.subarray(8)) });
    else if ((type === 6 || type === 2) && body.length >= 20) {
      const iface = this.interfaces[type === 6 ? this.u32(body, 0) : this.u16(body, 0)];
      const captured = Math.min(this.u32(body, 12), body.length - 20);
      if (iface) this.emit(iface.linkType, (this.u32(body, 4) * 2 ** 32 + this.u32(body, 8)) / iface.units, body.subarray(20, 20 + captured), this.u32(body, 16));
      else this.unknownInterface();
    } else if (type === 3 && body.length >= 4) {
      const iface = this.interfaces[0];
      const original = this.u32(body, 0);
      // A simple packet block holds min(original length, snap length) bytes plus padding.
      const captured = Math.min(original, length - 16, iface && iface.snapLength > 0 ? iface.snapLength : Infinity);
      if (iface) this.emit(iface.linkType, Number.NaN, body.subarray(4, 4 + captured), original);
      else this.unknownInterface();
    }
  }

  /** if_tsresol (option 9): 10^-n seconds, or 2^-n when the high bit is set; microseconds by default. */
  private resolution(options: Buffer): number {
    let at = 0;
    while (options.length - at >= 4) {
      const code = this.u16(options, at);
      const length = this.u16(options, at + 2);
      if (code === 0) break;
      if (code === 9 && length >= 1) {
        const v = options[at + 4] as number;
        return v & 0x80 ? 2 ** (v & 0x7f) : 10 ** v;
      }
      at += 4 + Math.ceil(length / 4) * 4;
    }
    return 1e6;
  }

  private emit(linkType: number, time: number, data: Buffer, originalLength: number): void {
    this.packets += 1;
    this.onPacket({ index: this.packets, linkType, time, data, originalLength: Math.max(originalLength, data.length) });
  }

  private unknownInterface(): void {
    this.packets += 1;
    if (!this.problems.includes('packets of an undeclared interface were skipped')) this.problems.push('packets of an undeclared interface were skipped');
  }

  private corrupt(what: string, at: number): number {
    this.problems.push(`${what}: the file is damaged from there on, so the rest was not read`);
    this.stopped = true;
    return at;
  }

  private u32(b: Buffer, at: number): number {
    return this.little ? b.readUInt32LE(at) : b.readUInt32BE(at);
  }

  private u16(b: Buffer, at: number): number {
    return this.little ? b.readUInt16LE(at) : b.readUInt16BE(at);
  }
}
