import type { CaptureConnection, CaptureSide } from '../../rules/index.js';
import { endpointText, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type TcpSegment } from './packet.js';
import { StepLog, type ConnectionState } from './steps.js';
import { DirectionStream } from './stream.js';
import { TlsDirection } from './tls-direction.js';

// One TCP connection of the capture: TCP events (SYN, FIN, RST) as steps, and each direction's
// bytes reassembled and decoded. The client is the side that sent the SYN; without one (the capture
// started mid-connection) it is the side with the higher port, as ephemeral ports are. A direction's
// reassembly and decoder are made when its first data or FIN comes: a connection that never
// carries any (a SYN flood, a port scan) costs a few hundred bytes while it is open.

interface Direction {
  readonly stream: DirectionStream;
  readonly decoder: TlsDirection;
}

const STEP_BITS = { syn: 0, 'syn-ack': 1, fin: 2, rst: 3 } as const;

export class Connection {
  private readonly state: ConnectionState = { log: new StepLog(), tls13: false, negotiated: 0 };
  private readonly directions: Partial<Record<CaptureSide, Direction>> = {};
  /** A SYN's sequence number for a direction not made yet. */
  private readonly synSeqs: Partial<Record<CaptureSide, number>> = {};
  /** TCP events already logged, one bit per kind and side. */
  private seen = 0;
  private finished = false;
  readonly client: number | string;
  readonly server: number | string;
  readonly sawSyn: boolean;
  /** Sequence number of the client's SYN: another SYN on the same ports with another one is a new connection. */
  readonly synSeq: number | undefined;
  lastPacket: number;

  constructor(first: TcpSegment, readonly firstPacket: number, private readonly time: number) {
    const syn = (first.flags & TCP_SYN) !== 0;
    const clientFirst = syn ? (first.flags & TCP_ACK) === 0 : first.sourcePort > first.destinationPort;
    this.client = clientFirst ? first.source : first.destination;
    this.server = clientFirst ? first.destination : first.source;
    this.sawSyn = syn;
    this.synSeq = syn && clientFirst ? first.seq : undefined;
    this.lastPacket = firstPacket;
  }

  private direction(side: CaptureSide): Direction {
    let made = this.directions[side];
    if (!made) {
      const decoder = new TlsDirection(side, this.state);
      made = { decoder, stream: new DirectionStream(decoder) };
      const isn = this.synSeqs[side];
      if (isn !== undefined) made.stream.syn(isn);
      this.directions[side] = made;
    }
    return made;
  }

  /** A reset from either side, or a FIN from both: nothing more belongs to this connection. */
  closed = false;

  handle(segment: TcpSegment, packet: number): void {
    const from: CaptureSide = segment.source === this.client ? 'client' : 'server';
    const { flags } = segment;
    this.lastPacket = packet;
    let seq = segment.seq;
    if (flags & TCP_SYN) {
      const made = this.directions[from];
      if (made) made.stream.syn(seq);
      else this.synSeqs[from] ??= seq;
      this.once(from === 'client' ? 'syn' : 'syn-ack', from, packet);
      // Data on a SYN (TCP Fast Open) starts one past the SYN's sequence number.
      seq = (seq + 1) >>> 0;
    }
    if (segment.payloadLength > 0) this.direction(from).stream.segment(seq, segment.payload, segment.payloadLength, packet);
    if (flags & TCP_FIN) {
      this.direction(from).stream.fin(seq, segment.payloadLength);
      this.once('fin', from, packet);
    }
    if (flags & TCP_RST) this.once('rst', from, packet);
    if (flags & (TCP_RST | TCP_FIN)) this.closed = (flags & TCP_RST) !== 0 || this.closed || (this.saw('fin', 'client') && this.saw('fin', 'server'));
  }

  finish(): CaptureConnection {
    if (!this.finished) {
      this.finished = true;
      for (const side of ['client', 'server'] as const) {
        this.directions[side]?.stream.finish(this.lastPacket);
        this.directions[side]?.decoder.finish();
      }
    }
    const log = this.state.log;
    return {
      client: endpointText(this.client),
      server: endpointText(this.server),
      firstPacket: this.firstPacket,
      lastPacket: this.lastPacket,
      startedAt: Number.isFinite(this.time) ? new Date(this.time * 1000).toISOString() : null,
      sawSyn: this.sawSyn,
      incomplete: (this.directions.client?.stream.incomplete ?? false) || (this.directions.server?.stream.incomplete ?? false),
      bytes: { client: this.directions.client?.stream.bytes ?? 0, server: this.directions.server?.stream.bytes ?? 0 },
      steps: [...log.steps],
      stepsOmitted: log.omitted,
    };
  }

  /** TCP events are steps once per side: retransmitted SYNs and FINs say nothing new. */
  private once(kind: keyof typeof STEP_BITS, from: CaptureSide, packet: number): void {
    if (this.saw(kind, from)) return;
    this.seen |= 1 << (STEP_BITS[kind] * 2 + (from === 'client' ? 0 : 1));
    this.state.log.add({ kind, from, packet });
  }

  private saw(kind: keyof typeof STEP_BITS, from: CaptureSide): boolean {
    return (this.seen & (1 << (STEP_BITS[kind] * 2 + (from === 'client' ? 0 : 1)))) !== 0;
  }
}
