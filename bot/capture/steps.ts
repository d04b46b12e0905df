import type { CaptureSide, CaptureStep } from '../../rules/index.js';

// The steps of one connection in the order the capture saw them, bounded: a long session must not
// grow without limit, and after the handshake only its end (reset, close) still matters.

const MAX_STEPS = 48;
const SIZES_KEPT = 4;

export class StepLog {
  readonly steps: CaptureStep[] = [];
  omitted = 0;

  /** In frame order: a gap or an unfinished record is only known at the end, but belongs where its frame is. */
  add(step: CaptureStep): void {
    if (this.steps.length >= MAX_STEPS) {
      this.omitted += 1;
      return;
    }
    let at = this.steps.length;
    while (at > 0 && (this.steps[at - 1] as CaptureStep).packet > step.packet) at--;
    this.steps.splice(at, 0, step);
  }

  /** Encrypted records: consecutive ones from one side count as one step. */
  encrypted(from: CaptureSide, packet: number, size: number, alert: boolean): void {
    const last = this.steps[this.steps.length - 1];
    if (last?.kind === 'encrypted' && last.from === from && last.alert === alert) {
      this.steps[this.steps.length - 1] = {
        ...last,
        records: last.records + 1,
        bytes: last.bytes + size,
        sizes: last.sizes.length < SIZES_KEPT ? [...last.sizes, size] : last.sizes,
      };
      return;
    }
    this.add({ kind: 'encrypted', from, packet, records: 1, bytes: size, sizes: [size], alert });
  }
}

/** What both directions of a connection share while they are decoded. */
export interface ConnectionState {
  readonly log: StepLog;
  /** A TLS 1.3 ServerHello was seen: every later record but ChangeCipherSpec is encrypted. */
  tls13: boolean;
  /** Wire version the ServerHello chose (0: none yet); CertificateRequest's layout depends on it. */
  negotiated: number;
  /** The client's first bytes, to recognise a server that echoes them. */
  clientHead?: Buffer;
}
