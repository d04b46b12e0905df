// One direction of a TCP connection put back in order by sequence number. Retransmitted bytes are
// delivered once, early segments wait for the bytes before them (bounded), and bytes the capture
// never saw (a dropped segment, a snap length that cut the payload) end delivery with a gap: the
// decoder is told the stream is incomplete rather than handed bytes glued across a hole.

export interface StreamSink {
  /** Contiguous bytes in stream order (a view: copy what you keep). Returns false once it wants no more. */
  data(bytes: Buffer, packet: number): boolean;
  /** Bytes are missing before what would come next: nothing more will be delivered. */
  gap(packet: number): void;
}

interface Pending {
  readonly at: number;
  readonly bytes: Buffer;
  /** The segment was longer on the wire than captured: a gap follows its bytes. */
  readonly cut: boolean;
  readonly packet: number;
}

/** Early segments kept while waiting for a missing one; past this the hole is taken as permanent. */
const MAX_PENDING_SEGMENTS = 64;
const MAX_PENDING_BYTES = 256 * 1024;
const HALF = 2 ** 31;

export class DirectionStream {
  private isn: number | undefined;
  private next = 0;
  private pending: Pending[] = [];
  private pendingBytes = 0;
  private finAt: number | undefined;
  private stopped = false;
  /** The frame being handled: bytes it makes deliverable were complete only with it. */
  private current = 0;
  /** Bytes of payload seen on the wire, retransmissions excluded. */
  bytes = 0;
  incomplete = false;

  constructor(private readonly sink: StreamSink) {}

  /** The SYN fixes where the stream starts (its sequence number plus one). */
  syn(seq: number): void {
    if (this.isn === undefined) this.isn = (seq + 1) >>> 0;
  }

  fin(seq: number, payloadLength: number): void {
    if (this.isn === undefined) this.isn = seq;
    this.finAt ??= this.relative(seq) + payloadLength;
  }

  segment(seq: number, payload: Buffer, payloadLength: number, packet: number): void {
    if (payloadLength === 0) return;
    // Without the SYN the first segment seen is taken as the start of the stream.
    if (this.isn === undefined) this.isn = seq;
    const at = this.relative(seq);
    const end = at + payloadLength;
    if (end <= this.next) return;
    this.bytes += end - Math.max(at, this.next);
    if (this.stopped) {
      this.next = Math.max(this.next, end);
      return;
    }
    this.current = packet;
    const piece: Pending = { at, bytes: payload, cut: payload.length < payloadLength, packet };
    if (at > this.next) {
      this.queue({ ...piece, bytes: Buffer.from(payload) });
      return;
    }
    this.deliver(piece);
    this.drain();
  }

  /** End of the connection or of the capture: bytes still waiting behind a hole mean a gap. */
  finish(packet: number): void {
    if (this.stopped) return;
    const first = this.pending[0];
    if (first) this.hole(first.packet);
    else if (this.finAt !== undefined && this.finAt > this.next) this.hole(packet);
  }

  private deliver(p: Pending): void {
    const skip = this.next - p.at;
    const end = p.at + p.bytes.length;
    const packet = Math.max(p.packet, this.current);
    if (end > this.next && !this.sink.data(p.bytes.subarray(skip), packet)) this.stopped = true;
    this.next = Math.max(this.next, end);
    if (p.cut && !this.stopped) this.hole(packet);
  }

  private drain(): void {
    while (!this.stopped && this.pending.length > 0 && (this.pending[0] as Pending).at <= this.next) {
      const p = this.pending.shift() as Pending;
      this.pendingBytes -= p.bytes.length;
      if (p.at + p.bytes.length > this.next || p.cut) this.deliver(p);
    }
  }

  private queue(p: Pending): void {
    if (this.pending.length >= MAX_PENDING_SEGMENTS || this.pendingBytes + p.bytes.length > MAX_PENDING_BYTES) {
      this.hole((this.pending[0] ?? p).packet);
      return;
    }
    let i = this.pending.length;
    while (i > 0 && (this.pending[i - 1] as Pending).at > p.at) i--;
    this.pending.splice(i, 0, p);
    this.pendingBytes += p.bytes.length;
  }

  private hole(packet: number): void {
    this.incomplete = true;
    this.stopped = true;
    this.pending = [];
    this.pendingBytes = 0;
    this.sink.gap(packet);
  }

  /** Offset from the stream start; sequence numbers wrap at 2^32, and a little before the start is negative. */
  private relative(seq: number): number {
    const d = (seq - (this.isn as number)) >>> 0;
    return d >= HALF ? d - 2 ** 32 : d;
  }
}
