import type { CaptureConnection } from '../../rules/index.js';
import { Connection } from './connection.js';
import { TCP_ACK, TCP_SYN, type TcpSegment } from './packet.js';

// The table of connections open at this point of the capture. A connection leaves it as soon as it
// is over (a reset, both FINs), so memory follows the number of connections open at once, not the
// size of the file; a SYN with a new sequence number on the same ports starts a new connection.

/**
 * Past this many open connections the oldest is summarised as it stands. A troubleshooting capture
 * has far fewer open at once; a SYN flood's connections then die young, and memory stays small.
 */
const MAX_OPEN = 5_000;
/** Finished connections remembered so their trailing ACKs do not open a phantom connection. */
const MAX_CLOSED = 20_000;

type Endpoint = number | string;

/**
 * Both directions of a flow under one entry, looked up without building a string per packet:
 * IPv4 endpoints are numbers (the lower endpoint first: one slot, or a map when it has several
 * flows), IPv6 ones text. Most endpoints (a client's ephemeral port) have one flow: no map of
 * their own.
 */
class FlowMap<V> {
  private readonly numeric = new Map<number, { hi: number; value: V } | Map<number, V>>();
  private readonly text = new Map<string, V>();

  get(a: Endpoint, b: Endpoint): V | undefined {
    if (typeof a !== 'number' || typeof b !== 'number') return this.text.get(textKey(a, b));
    const [lo, hi] = a < b ? [a, b] : [b, a];
    const slot = this.numeric.get(lo);
    if (slot instanceof Map) return slot.get(hi);
    return slot?.hi === hi ? slot.value : undefined;
  }

  set(a: Endpoint, b: Endpoint, value: V): void {
    if (typeof a !== 'number' || typeof b !== 'number') {
      this.text.set(textKey(a, b), value);
      return;
    }
    const [lo, hi] = a < b ? [a, b] : [b, a];
    const slot = this.numeric.get(lo);
    if (slot === undefined || (!(slot instanceof Map) && slot.hi === hi)) this.numeric.set(lo, { hi, value });
    else if (slot instanceof Map) slot.set(hi, value);
    else this.numeric.set(lo, new Map([[slot.hi, slot.value], [hi, value]]));
  }

  delete(a: Endpoint, b: Endpoint): void {
    if (typeof a !== 'number' || typeof b !== 'number') {
      this.text.delete(textKey(a, b));
      return;
    }
    const [lo, hi] = a < b ? [a, b] : [b, a];
    const slot = this.numeric.get(lo);
    if (slot instanceof Map) {
      slot.delete(hi);
      if (slot.size === 0) this.numeric.delete(lo);
    } else if (slot?.hi === hi) this.numeric.delete(lo);
  }
}

function textKey(a: Endpoint, b: Endpoint): string {
  return a < b ? `${a} ${b}` : `${b} ${a}`;
}

export class ConnectionTracker {
  private readonly open = new FlowMap<Connection>();
  /** Open connections. */
  private readonly order = new Set<Connection>();
  /**
   * Connections in the order they opened, finished ones skipped lazily: the oldest open one is
   * found in amortised constant time. (A Set's first entry is not: V8 leaves deleted entries in
   * place until it rehashes, and every lookup of the first one walked past all of them, which made
   * a SYN flood quadratic.)
   */
  private readonly opened: Connection[] = [];
  private openedHead = 0;
  private readonly closed = new FlowMap<true>();
  private readonly closedOrder: [Endpoint, Endpoint][] = [];
  private closedHead = 0;
  total = 0;

  constructor(private readonly done: (connection: CaptureConnection) => void) {}

  segment(segment: TcpSegment, packet: number, time: number): void {
    const { source, destination } = segment;
    const clientSyn = (segment.flags & TCP_SYN) !== 0 && (segment.flags & TCP_ACK) === 0;
    let connection = this.open.get(source, destination);
    if (connection && clientSyn && (connection.closed || (connection.synSeq !== undefined && connection.synSeq !== segment.seq))) {
      this.finish(connection);
      connection = undefined;
    }
    if (!connection) {
      if (!clientSyn && this.closed.get(source, destination)) return;
      this.closed.delete(source, destination);
      connection = new Connection(segment, packet, time);
      this.total += 1;
      this.open.set(source, destination, connection);
      this.order.add(connection);
      this.opened.push(connection);
      if (this.order.size > MAX_OPEN) this.finish(this.oldestOpen());
    }
    connection.handle(segment, packet);
    if (connection.closed) this.finish(connection);
  }

  private oldestOpen(): Connection {
    for (;;) {
      const candidate = this.opened[this.openedHead++] as Connection;
      if (this.openedHead > 4096 && this.openedHead * 2 > this.opened.length) {
        this.opened.splice(0, this.openedHead);
        this.openedHead = 0;
      }
      if (this.order.has(candidate)) return candidate;
    }
  }

  /** End of the capture: whatever is still open is summarised as it stands. */
  end(): void {
    while (!this.endSome(Number.POSITIVE_INFINITY));
  }

  /** Summarises up to `count` of the connections still open, oldest first; true when none is left. */
  endSome(count: number): boolean {
    for (let done = 0; done < count && this.order.size > 0; done++) this.finish(this.oldestOpen());
    return this.order.size === 0;
  }

  private finish(connection: Connection): void {
    const { client, server } = connection;
    this.open.delete(client, server);
    this.order.delete(connection);
    this.closed.set(client, server, true);
    this.closedOrder.push([client, server]);
    if (this.closedOrder.length - this.closedHead > MAX_CLOSED) {
      const [a, b] = this.closedOrder[this.closedHead++] as [Endpoint, Endpoint];
      this.closed.delete(a, b);
      // Drop the consumed head now and then, so the queue does not grow with the capture.
      if (this.closedHead > MAX_CLOSED) {
        this.closedOrder.splice(0, this.closedHead);
        this.closedHead = 0;
      }
    }
    this.done(connection.finish());
  }
}
