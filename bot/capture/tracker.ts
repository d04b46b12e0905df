import type { CaptureConnection } from '../../rules/index.js';
import { Connection } from './connection.js';
import { TCP_ACK, TCP_SYN, type TcpSegment } from './packet.js';

// The table of connections open at this point of the capture. A connection leaves it as soon as it
// is over (a reset, both FINs), so memory follows the number of connections open at once, not the
// size of the file; a SYN with a new sequence number on the same ports starts a new connection.

/** Past this many open connections the oldest is summarised as it stands. */
const MAX_OPEN = 20_000;
/** Finished connections remembered so their trailing ACKs do not open a phantom connection. */
const MAX_CLOSED = 50_000;

type Endpoint = number | string;

/**
 * Both directions of a flow under one entry, looked up without building a string per packet:
 * IPv4 endpoints are numbers (two levels of maps, lower endpoint first), IPv6 ones text.
 */
class FlowMap<V> {
  private readonly numeric = new Map<number, Map<number, V>>();
  private readonly text = new Map<string, V>();

  get(a: Endpoint, b: Endpoint): V | undefined {
    if (typeof a === 'number' && typeof b === 'number') return a < b ? this.numeric.get(a)?.get(b) : this.numeric.get(b)?.get(a);
    return this.text.get(textKey(a, b));
  }

  set(a: Endpoint, b: Endpoint, value: V): void {
    if (typeof a === 'number' && typeof b === 'number') {
      const [lo, hi] = a < b ? [a, b] : [b, a];
      let inner = this.numeric.get(lo);
      if (!inner) this.numeric.set(lo, (inner = new Map()));
      inner.set(hi, value);
    } else this.text.set(textKey(a, b), value);
  }

  delete(a: Endpoint, b: Endpoint): void {
    if (typeof a === 'number' && typeof b === 'number') {
      const [lo, hi] = a < b ? [a, b] : [b, a];
      const inner = this.numeric.get(lo);
      inner?.delete(hi);
      if (inner?.size === 0) this.numeric.delete(lo);
    } else this.text.delete(textKey(a, b));
  }
}

function textKey(a: Endpoint, b: Endpoint): string {
  return a < b ? `${a} ${b}` : `${b} ${a}`;
}

export class ConnectionTracker {
  private readonly open = new FlowMap<Connection>();
  /** Open connections, oldest first (a Set keeps insertion order). */
  private readonly order = new Set<Connection>();
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
      if (this.order.size > MAX_OPEN) this.finish(this.order.values().next().value as Connection);
    }
    connection.handle(segment, packet);
    if (connection.closed) this.finish(connection);
  }

  /** End of the capture: whatever is still open is summarised as it stands. */
  end(): void {
    for (const connection of [...this.order]) this.finish(connection);
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
