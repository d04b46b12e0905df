import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCapture } from '../../../bot/capture/read-capture.js';
import { createDiagnoser, type CaptureDiagnosis } from '../../../rules/index.js';
import { captureLab } from './helpers/lab.js';
import { parsePcap, payloadLength, snap, splitSegment, writePcap, type PcapRecord } from './helpers/pcap-edit.js';

// TCP reassembly on a real handshake whose server flight (ServerHello ... ServerHelloDone) is split
// into three segments, then reordered, repeated or partly lost, as captures on busy links show it.
// Reordering and retransmission must not change what is read; a lost segment must end decoding
// with a gap, never bytes glued across the hole.

const diagnoser = createDiagnoser();
let frames: PcapRecord[];
let flight: number;
let original: CaptureDiagnosis;

beforeAll(async () => {
  const lab = await captureLab();
  frames = parsePcap(readFileSync(lab.scenarios['server-cert-untrusted']?.file as string));
  const observation = readCapture(writePcap(frames), 'original.pcap');
  const hello = observation.groups[0]?.example.steps.find((s) => s.kind === 'server-hello');
  flight = (hello?.packet ?? 0) - 1;
  original = await diagnoser.diagnoseCapture(observation);
}, 120_000);

/** The capture with the server flight replaced by `pieces` (indexes into its three segments). */
async function withFlight(order: readonly number[], after: 'rest' | 'nothing' = 'rest'): Promise<CaptureDiagnosis> {
  const pieces = splitSegment(frames[flight] as PcapRecord, [30, 200]);
  const edited = [...frames.slice(0, flight), ...order.map((i) => pieces[i] as PcapRecord), ...(after === 'rest' ? frames.slice(flight + 1) : [])];
  return diagnoser.diagnoseCapture(readCapture(writePcap(edited), 'edited.pcap'));
}

const lines = (d: CaptureDiagnosis): string[] => d.ladder[0]?.steps.map((s) => s.line) ?? [];

describe('TCP reassembly', () => {
  it('the flight is long enough to split where records are', () => {
    expect(original.cause).toBe('server-cert-untrusted');
    expect(payloadLength(frames[flight] as PcapRecord)).toBeGreaterThan(300);
  });

  it.each([
    ['in order', [0, 1, 2]],
    ['out of order', [2, 0, 1]],
    ['with retransmissions', [0, 1, 0, 2, 1]],
    ['with a late duplicate of everything', [0, 1, 2, 1, 0]],
  ] as const)('segments %s read like the single segment', async (_, order) => {
    const d = await withFlight(order);
    expect(d.cause).toBe('server-cert-untrusted');
    expect(lines(d)).toEqual(lines(original));
    expect(d.connections.incomplete).toBe(0);
  });

  it('a lost segment marks the stream incomplete and stops decoding there', async () => {
    const d = await withFlight([0, 2]);
    expect(d.connections.incomplete).toBe(1);
    expect(d.ladder[0]?.incomplete).toBe(true);
    const server = lines(d).filter((l) => l.startsWith('server -> client'));
    expect(server).toEqual(['server -> client  [SYN, ACK]', 'server -> client  bytes missing from the capture from here on (not decoded further)', 'server -> client  [FIN] closes its side']);
    // Without the server's Certificate the alert cannot be pinned on it: no guess.
    expect(d.cause).toBe('handshake-aborted');
    expect(d.explanation).toMatch(/Bytes of this connection are missing from the capture/);
  });

  it('a stream that ends inside a record leaves an incomplete-record step', async () => {
    const d = await withFlight([0, 1], 'nothing');
    expect(lines(d).some((l) => /^server -> client {2}incomplete record \(\d+ bytes\): the rest is not in the capture$/.test(l))).toBe(true);
    expect(lines(d).filter((l) => l.includes('ServerHello '))).toHaveLength(1);
  });

  it('a snap length that cuts payloads makes every connection incomplete', async () => {
    const d = await diagnoser.diagnoseCapture(readCapture(writePcap(snap(frames, 100)), 'snap100.pcap'));
    expect(d.connections.incomplete).toBe(1);
    expect(d.cause).toBe('unknown');
    expect(d.explanation).toMatch(/Bytes are missing from 1 connection\(s\).*-s 0/);
  });
});
