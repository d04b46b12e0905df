// Context-only DataPower lines ("Starting SSL termination of connection ...", written at debug level
// for every connection) are needed only if their connection later fails, which most never do. They
// are parked here by tid as positions in the scanner's recent chunks, not as strings: a big log parks
// a hundred thousand of them, and decoding or allocating for each would cost more than the search.
// The ring keeps the last CAPACITY parked lines; a line whose chunk buffer is about to be reused is
// decoded first, so a parked line is never lost while it is in the ring.

const CAPACITY = 8192;
/** At most this many context lines are kept per connection (the first ones). */
export const MAX_PARKED_PER_TID = 4;

export interface ParkedLine {
  readonly text: string;
  readonly line: number;
}

export class ParkedContext {
  private readonly tid = new Float64Array(CAPACITY).fill(Number.NaN);
  private readonly serial = new Float64Array(CAPACITY);
  private readonly line = new Float64Array(CAPACITY);
  private readonly chunk = new Float64Array(CAPACITY);
  private readonly start = new Int32Array(CAPACITY);
  private readonly end = new Int32Array(CAPACITY);
  /** Index of the previous line of the same tid, or -1. */
  private readonly previous = new Int32Array(CAPACITY);
  private readonly decoded: (string | undefined)[] = new Array<string | undefined>(CAPACITY).fill(undefined);
  private readonly count = new Uint8Array(CAPACITY);
  /** tid -> ring index of its latest parked line. */
  private readonly latest = new Map<number, number>();
  private written = 0;

  park(tid: number, chunk: number, start: number, end: number, line: number): void {
    const last = this.latestOf(tid);
    const held = last === -1 ? 0 : (this.count[last] as number);
    if (held >= MAX_PARKED_PER_TID) return;
    const at = this.written % CAPACITY;
    const old = this.tid[at] as number;
    if (!Number.isNaN(old) && this.latest.get(old) === at) this.latest.delete(old);
    this.tid[at] = tid;
    this.serial[at] = this.written;
    this.line[at] = line;
    this.chunk[at] = chunk;
    this.start[at] = start;
    this.end[at] = end;
    this.previous[at] = last;
    this.decoded[at] = undefined;
    this.count[at] = held + 1;
    this.latest.set(tid, at);
    this.written += 1;
  }

  /** Decodes the parked lines that point into chunk `seq`, whose buffer is about to be reused. */
  retire(seq: number, bytes: Buffer): void {
    for (let i = 0; i < CAPACITY; i++) {
      if (this.chunk[i] === seq && !Number.isNaN(this.tid[i] as number) && this.decoded[i] === undefined) {
        this.decoded[i] = bytes.toString('utf8', this.start[i], this.end[i]);
      }
    }
  }

  /** Takes the parked lines of `tid`, oldest first; they are gone from the ring afterwards. */
  take(tid: number, bytesOf: (chunk: number) => Buffer): ParkedLine[] {
    const found: ParkedLine[] = [];
    for (let at = this.latestOf(tid); at !== -1; at = this.previousOf(at)) {
      const text = this.decoded[at] ?? bytesOf(this.chunk[at] as number).toString('utf8', this.start[at], this.end[at]);
      found.push({ text, line: this.line[at] as number });
    }
    for (let at = this.latestOf(tid); at !== -1; ) {
      const before = this.previousOf(at);
      this.tid[at] = Number.NaN;
      this.decoded[at] = undefined;
      at = before;
    }
    this.latest.delete(tid);
    return found.reverse();
  }

  private latestOf(tid: number): number {
    const at = this.latest.get(tid);
    return at === undefined ? -1 : at;
  }

  /** The previous line of the same tid, if the ring still holds it. */
  private previousOf(at: number): number {
    const before = this.previous[at] as number;
    if (before === -1 || this.tid[before] !== this.tid[at] || (this.serial[before] as number) >= (this.serial[at] as number)) return -1;
    return before;
  }
}
