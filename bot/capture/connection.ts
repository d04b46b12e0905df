import type { CaptureConnection, CaptureSide } from '../../rules/index.js';
import { endpointText, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type TcpSegment } from './packet.js';
import { StepLog, type ConnectionState } from './steps.js';
import { DirectionStream } from './stream.js';
import { TlsDirection } from './tls-direction.js';

// One TCP connection of the capture: TCP events (SYN, FIN, RST) as steps, and each direction's
// bytes reassembled and decoded. The client is the side that sent the SYN; without one (the capture
// started mid-connection) it is the side with the higher port, as ephemeral ports are.

export class Connection {
  private readonly state: ConnectionState = { log: new StepLog(), tls13: false, negotiated: 0 };
  private readonly decoders: Record<CaptureSide, TlsDirection>;
  private readonly streams: Record<CaptureSide, DirectionStream>;
  private readonly seen = new Set<string>();
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
    this.decoders = { client: new TlsDirection('client', this.state), server: new TlsDirection('server', this.state) };
    this.streams = { client: new DirectionStream(this.decoders.client), server: new DirectionStream(this.decoders.server) };
  }

  /** A reset from either side, or a FIN from both: nothing more belongs to this connection. */
  closed = false;

  handle(segment: TcpSegment, packet: number): void {
    const from: CaptureSide = segment.source === this.client ? 'client' : 'server';
    const stream = this.streams[from];
    const { flags } = segment;
    this.lastPacket = packet;
    let seq = segment.seq;
    if (flags & TCP_SYN) {
      stream.syn(seq);
      this.once(from === 'client' ? 'syn' : 'syn-ack', from, packet);
      // Data on a SYN (TCP Fast Open) starts one past the SYN's sequence number.
      seq = (seq + 1) >>> 0;
    }
    if (segment.payloadLength > 0) stream.segment(seq, segment.payload, segment.payloadLength, packet);
    if (flags & TCP_FIN) {
      stream.fin(seq, segment.payloadLength);
      this.once('fin', from, packet);
    }
    if (flags & TCP_RST) this.once('rst', from, packet);
    if (flags & (TCP_RST | TCP_FIN)) this.closed = (flags & TCP_RST) !== 0 || this.closed || (this.seen.has('fin-client') && this.seen.has('fin-server'));
  }

  finish(): CaptureConnection {
    if (!this.finished) {
      this.finished = true;
      for (const side of ['client', 'server'] as const) {
        this.streams[side].finish(this.lastPacket);
        this.decoders[side].finish();
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
      incomplete: this.streams.client.incomplete || this.streams.server.incomplete,
      bytes: { client: this.streams.client.bytes, server: this.streams.server.bytes },
      steps: [...log.steps],
      stepsOmitted: log.omitted,
    };
  }

  /** TCP events are steps once per side: retransmitted SYNs and FINs say nothing new. */
  private once(kind: 'syn' | 'syn-ack' | 'fin' | 'rst', from: CaptureSide, packet: number): void {
    const key = `${kind}-${from}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.state.log.add({ kind, from, packet });
  }
}
