import type { CaptureObservation } from '../../rules/index.js';
import { CaptureFileReader, CaptureFormatError } from './capture-file.js';
import { GroupCollector } from './groups.js';
import { decodeFrame, LINK_TYPES } from './packet.js';
import { ConnectionTracker } from './tracker.js';

// The entry point for "what happened in this capture": bytes in (all at once from a chat upload,
// or chunk by chunk from a file of any size), a CaptureObservation out. A file that is not a
// capture at all is refused with CaptureFormatError; a damaged or cut one gives what it held, with
// the damage named in `problems`.

export { CaptureFormatError } from './capture-file.js';

export interface CaptureReader {
  push(chunk: Buffer): void;
  /**
   * Summarises up to `count` of the connections still open (each is tens of microseconds of
   * work: with thousands open, the caller lets its event loop turn in between); true when none is left.
   */
  closeSome(count: number): boolean;
  /** Throws CaptureFormatError when the input is not a capture. */
  finish(): CaptureObservation;
}

export function createCaptureReader(name: string): CaptureReader {
  const groups = new GroupCollector();
  const tracker = new ConnectionTracker((c) => groups.add(c));
  const skippedLinks = new Map<number, number>();
  let tcpPackets = 0;
  let firstTime = Number.NaN;
  let lastTime = Number.NaN;
  const file = new CaptureFileReader((packet) => {
    if (Number.isFinite(packet.time)) {
      if (Number.isNaN(firstTime)) firstTime = packet.time;
      lastTime = packet.time;
    }
    const segment = decodeFrame(packet.linkType, packet.data, packet.originalLength);
    if (segment === 'unsupported-link') skippedLinks.set(packet.linkType, (skippedLinks.get(packet.linkType) ?? 0) + 1);
    else if (segment !== 'not-tcp') {
      tcpPackets += 1;
      tracker.segment(segment, packet.index, packet.time);
    }
  });
  return {
    push: (chunk) => file.push(chunk),
    closeSome: (count) => tracker.endSome(count),
    finish() {
      const { format, truncated, packets } = file.end();
      tracker.end();
      const problems = [...file.problems];
      for (const [type, count] of skippedLinks) problems.push(`${count} packet(s) of link type ${type} (${LINK_TYPES[type] ?? 'not supported'}) were skipped`);
      if (groups.ungrouped > 0) problems.push(`${groups.ungrouped} connection(s) of yet other kinds were counted but not kept (too many distinct kinds)`);
      return {
        name,
        format,
        packets,
        tcpPackets,
        connections: tracker.total,
        groups: groups.list(),
        truncated,
        problems,
        firstAt: iso(firstTime),
        lastAt: iso(lastTime),
      };
    },
  };
}

export function readCapture(bytes: Uint8Array, name: string): CaptureObservation {
  const reader = createCaptureReader(name);
  reader.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return reader.finish();
}

export async function readCaptureStream(source: AsyncIterable<Buffer>, name: string): Promise<CaptureObservation> {
  const reader = createCaptureReader(name);
  for await (const chunk of source) reader.push(chunk);
  return reader.finish();
}

function iso(time: number): string | null {
  return Number.isFinite(time) ? new Date(time * 1000).toISOString() : null;
}
