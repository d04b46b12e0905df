// Context-only DataPower lines ("Starting SSL termination of connection ...", written at debug level
// for every connection) are needed only if their connection later fails, which most never do. They
// are parked here by tid as positions in the scanner's recent chunks, not as strings: a big log parks
// a hundred thousand of them, and decoding or allocating for each would cost more than the search.
// The ring keeps the last CAPACITY parked lines; a line whose chunk buffer is about to be reused is
// decoded first, so a parked line is never lost while it is in the ring. (The scanner keeps enough
// chunk buffers that in a DataPower log most lines leave the ring before their buffer is reused.)

const CAPACITY = 8192;
/** Slots looked at for a tid before giving up. */
const PROBES = 8;
/** At most this many context lines are kept per connection (the first ones). */
const MAX_PARKED_PER_TID = 4;

export interface ParkedLine {
  readonly text: string;
  readonly line: number;
}

export class ParkedContext {
  // The ring starts small and grows eightfold up to CAPACITY (a paste parks a handful of lines and
  // should not pay for a big log's ring); it only wraps once full size, so indexes stay valid as it
  // grows.
  private size = 16;
  private tid = new Float64Array(this.size).fill(Number.NaN);
  private serial = new Float64Array(this.size);
  private line = new Float64Array(this.size);
  private chunk = new Float64Array(this.size);
  private start = new Int32Array(this.size);
  private end = new Int32Array(this.size);
  /** Index of the previous line of the same tid, or -1. */
  private previous = new Int32Array(this.size);
  private decoded: (string | undefined)[] = new Array<string | undefined>(this.size).fill(undefined);
  private count = new Uint8Array(this.size);
  // tid -> ring index of its latest parked line: an open-addressing table in typed arrays (a Map of
  // numbers churns its hash table on this path, a hundred thousand sets and deletes per big log).
  // Nothing is ever deleted: a slot is believed only while the ring entry it names still holds its
  // tid, so an entry overwritten by the ring or taken makes its slot free by itself.
  private slotTid = new Float64Array(this.size * 2).fill(Number.NaN);
  private slotAt = new Int32Array(this.size * 2);
  private written = 0;

  park(tid: number, chunk: number, start: number, end: number, line: number): void {
    const last = this.latestOf(tid);
    const held = last === -1 ? 0 : (this.count[last] as number);
    if (held >= MAX_PARKED_PER_TID) return;
    if (this.written === this.size && this.size < CAPACITY) this.grow();
    const at = this.written % this.size;
    this.tid[at] = tid;
    this.serial[at] = this.written;
    this.line[at] = line;
    this.chunk[at] = chunk;
    this.start[at] = start;
    this.end[at] = end;
    this.previous[at] = last;
    this.decoded[at] = undefined;
    this.count[at] = held + 1;
    this.setLatest(tid, at);
    this.written += 1;
  }

  /** Decodes the parked lines that point into chunk `seq`, whose buffer is about to be reused. */
  retire(seq: number, bytes: Buffer): void {
    const used = Math.min(this.written, this.size);
    for (let i = 0; i < used; i++) {
      if (this.chunk[i] === seq && !Number.isNaN(this.tid[i] as number) && this.decoded[i] === undefined) {
        this.decoded[i] = bytes.toString('utf8', this.start[i], this.end[i]);
      }
    }
  }

  /** Takes the parked lines of `tid`, oldest first; they are gone from the ring afterwards. */
  take(tid: number, bytesOf: (chunk: number) => Buffer): ParkedLine[] {
    const found: ParkedLine[] = [];
    for (let at = this.latestOf(tid); at !== -1; ) {
      const text = this.decoded[at] ?? bytesOf(this.chunk[at] as number).toString('utf8', this.start[at], this.end[at]);
      found.push({ text, line: this.line[at] as number });
      const before = this.previousOf(at); // read before the entry is cleared: the link check compares tids
      this.tid[at] = Number.NaN;
      this.decoded[at] = undefined;
      at = before;
    }
    return found.reverse();
  }

  /** The tids that have lines parked. */
  tids(): number[] {
    const tids = new Set<number>();
    for (let i = 0; i < this.slotTid.length; i++) if (this.isLive(i)) tids.add(this.slotTid[i] as number);
    return [...tids];
  }

  private grow(): void {
    const size = Math.min(CAPACITY, this.size * 8);
    const widen = <T extends Float64Array | Int32Array | Uint8Array>(from: T, to: T): T => {
      to.set(from);
      return to;
    };
    this.tid = widen(this.tid, new Float64Array(size).fill(Number.NaN));
    this.serial = widen(this.serial, new Float64Array(size));
    this.line = widen(this.line, new Float64Array(size));
    this.chunk = widen(this.chunk, new Float64Array(size));
    this.start = widen(this.start, new Int32Array(size));
    this.end = widen(this.end, new Int32Array(size));
    this.previous = widen(this.previous, new Int32Array(size));
    this.count = widen(this.count, new Uint8Array(size));
    this.decoded = [...this.decoded, ...new Array<string | undefined>(this.size).fill(undefined)];
    this.size = size;
    // Re-index the live entries, oldest first, so that each tid ends on its latest.
    this.slotTid = new Float64Array(size * 2).fill(Number.NaN);
    this.slotAt = new Int32Array(size * 2);
    for (let at = 0; at < this.written; at++) if (!Number.isNaN(this.tid[at] as number)) this.setLatest(this.tid[at] as number, at);
  }

  private latestOf(tid: number): number {
    const mask = this.slotTid.length - 1;
    for (let probe = 0, i = this.slotOf(tid); probe < PROBES; probe++, i = (i + 1) & mask) {
      const held = this.slotTid[i] as number;
      if (Number.isNaN(held)) return -1;
      if (held === tid) return this.isLive(i) ? (this.slotAt[i] as number) : -1;
    }
    return -1;
  }

  private setLatest(tid: number, at: number): void {
    const mask = this.slotTid.length - 1;
    const home = this.slotOf(tid);
    // The first slot that is free, stale or already this tid's; past PROBES the home slot is taken
    // over (its tid's parked lines are then forgotten: with twice as many slots as entries, rare).
    let chosen = home;
    for (let probe = 0, i = home; probe < PROBES; probe++, i = (i + 1) & mask) {
      if (Number.isNaN(this.slotTid[i] as number) || this.slotTid[i] === tid || !this.isLive(i)) {
        chosen = i;
        break;
      }
    }
    this.slotTid[chosen] = tid;
    this.slotAt[chosen] = at;
  }

  /** Whether slot i names a ring entry that still holds the slot's tid. */
  private isLive(i: number): boolean {
    const tid = this.slotTid[i] as number;
    return !Number.isNaN(tid) && this.tid[this.slotAt[i] as number] === tid;
  }

  private slotOf(tid: number): number {
    // Fibonacci hashing of the tid's low 32 bits (tids are mostly consecutive numbers).
    return (Math.imul(tid | 0, 0x9e3779b1) >>> 0) % this.slotTid.length;
  }

  /** The previous line of the same tid, if the ring still holds it. */
  private previousOf(at: number): number {
    const before = this.previous[at] as number;
    if (before === -1 || this.tid[before] !== this.tid[at] || (this.serial[before] as number) >= (this.serial[at] as number)) return -1;
    return before;
  }
}
