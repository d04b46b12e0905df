import type { Readable } from 'node:stream';
import type { CaptureDiagnosis, CaptureObservation, Diagnoser } from '../../rules/index.js';
import { TriageError } from '../errors.js';
import { sniffFileKind } from '../file-kind.js';
import { isGzip, looksBinary } from '../input.js';
import { nextTurn } from '../pause.js';
import { createCaptureReader, CaptureFormatError } from './read-capture.js';

// `tls-triage diagnose FILE` and chat uploads with a packet capture: recognised by its magic number
// (bot/file-kind.ts), read as a stream so that a capture of any size costs memory only for the
// connections open at once, and diagnosed with the same rules as a log.

const CAPTURE_NAME = /\.(pcap|pcapng|cap)$/i;
/**
 * A capture is read this much at a time, with a turn of the event loop in between: 64 KiB of
 * the smallest packets (a SYN flood, a thousand new connections) is about 60 ms of work.
 */
const SLICE = 64 * 1024;
/** Connections still open at the end summarised per turn of the event loop. */
const CLOSE_SLICE = 2000;

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** True when the first bytes are a pcap or pcapng header. */
export function isCapture(head: Uint8Array): boolean {
  const kind = sniffFileKind(head.subarray(0, 4), '');
  return kind === 'pcap' || kind === 'pcapng';
}

/** The capture's diagnosis, or undefined when the first chunk is not the start of a capture. */
export async function diagnoseCaptureInput(head: Buffer, source: Readable, diagnoser: Diagnoser, name: string): Promise<{ diagnosis: CaptureDiagnosis; problems: readonly string[] } | undefined> {
  if (!isCapture(head)) {
    // The content decides what the input is; the name only lets the refusal speak of captures.
    if (CAPTURE_NAME.test(name) && looksBinary(head) && !isGzip(head)) {
      source.destroy();
      throw new TriageError('INPUT_UNREADABLE', `${name} is not a packet capture: it does not start with a pcap or pcapng header (it starts with ${hex(head.subarray(0, 4))}); tcpdump -w and Wireshark write one`);
    }
    return undefined;
  }
  const reader = createCaptureReader(name);
  await pushPaced(reader, head, name);
  for await (const chunk of source) await pushPaced(reader, chunk as Buffer, name);
  while (!reader.closeSome(CLOSE_SLICE)) await nextTurn();
  const observation = usable(() => reader.finish(), name);
  return { diagnosis: await diagnoser.diagnoseCapture(observation), problems: observation.problems.map((p) => `${name}: ${p}`) };
}

/** A chat upload's capture: the observation to keep on the evidence, or why it cannot be used. */
export async function observeCaptureUpload(bytes: Uint8Array, name: string): Promise<{ observation: CaptureObservation } | { problem: string }> {
  const reader = createCaptureReader(name);
  try {
    await pushPaced(reader, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), name);
    while (!reader.closeSome(CLOSE_SLICE)) await nextTurn();
    return { observation: usable(() => reader.finish(), name) };
  } catch (error) {
    if (error instanceof TriageError) return { problem: error.message };
    throw error;
  }
}

async function pushPaced(reader: { push(chunk: Buffer): void }, bytes: Buffer, name: string): Promise<void> {
  for (let at = 0; at < bytes.length; at += SLICE) {
    named(() => reader.push(bytes.subarray(at, at + SLICE)), name);
    await nextTurn();
  }
}

/** A file that is no capture is an input error naming the file. */
function named<T>(read: () => T, name: string): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof CaptureFormatError) throw new TriageError('INPUT_UNREADABLE', `${name} is not a readable packet capture: ${error.message}`);
    throw error;
  }
}

/** A file that is no capture, or one damaged before its first packet, is an input error, not a diagnosis. */
function usable(read: () => CaptureObservation, name: string): CaptureObservation {
  const observation = named(read, name);
  if (observation.packets === 0 && observation.problems.length > 0) {
    throw new TriageError('INPUT_UNREADABLE', `${name} starts like a ${observation.format} capture but holds no readable packet: ${observation.problems.join('; ')}`);
  }
  return observation;
}
