import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { observeCaptureUpload } from '../../../bot/capture/input.js';
import { CaptureFormatError, readCapture, readCaptureStream } from '../../../bot/capture/read-capture.js';
import { createDiagnoser, type CaptureDiagnosis, type CaptureObservation } from '../../../rules/index.js';
import { captureLab, type Lab } from './helpers/lab.js';
import { LINK_TYPE, parsePcap, relink, writePcap, writePcapng, type PcapRecord } from './helpers/pcap-edit.js';

// The same real capture in every container and link layer a capture reader meets: each must read
// exactly like tcpdump's own file. Damaged input must say what is wrong instead of failing.

const diagnoser = createDiagnoser();
let lab: Lab;
let records: PcapRecord[];
let reference: CaptureDiagnosis;
let referenceObservation: CaptureObservation;

beforeAll(async () => {
  lab = await captureLab();
  records = parsePcap(readFileSync(lab.all));
  referenceObservation = readCapture(readFileSync(lab.all), 'all');
  reference = await diagnoser.diagnoseCapture(referenceObservation);
}, 120_000);

function summary(d: CaptureDiagnosis): unknown {
  return { cause: d.cause, count: d.count, connections: d.connections, others: d.others, ladder: d.ladder.map((l) => [l.cause, l.count, l.steps.map((s) => `#${s.packet} ${s.line}`)]) };
}

describe('containers and link layers', () => {
  const variants: [string, () => Buffer][] = [
    ['pcapng written by tshark', () => readFileSync(lab.allPcapng)],
    ['big-endian pcap', () => writePcap(records, { bigEndian: true })],
    ['nanosecond pcap', () => writePcap(records, { nano: true })],
    ['big-endian nanosecond pcap', () => writePcap(records, { bigEndian: true, nano: true })],
    ['big-endian pcapng, nanosecond if_tsresol', () => writePcapng(records, { bigEndian: true, nanoResolution: true })],
    ['pcapng with simple packet blocks', () => writePcapng(records, { simple: true })],
    ['Linux cooked capture (SLL)', () => writePcap(relink(records, 'sll'), { linkType: LINK_TYPE.sll })],
    ['Linux cooked capture v2 (SLL2)', () => writePcapng(relink(records, 'sll2'), { linkType: LINK_TYPE.sll2 })],
    ['raw IP', () => writePcap(relink(records, 'raw'), { linkType: LINK_TYPE.raw })],
    ['BSD loopback', () => writePcap(relink(records, 'null'), { linkType: LINK_TYPE.null })],
    ['VLAN-tagged Ethernet', () => writePcap(relink(records, 'vlan'))],
  ];
  it.each(variants)('%s reads like the original', async (name, bytes) => {
    const observation = readCapture(bytes(), 'all');
    expect(observation).toMatchObject({ packets: referenceObservation.packets, tcpPackets: referenceObservation.tcpPackets, truncated: false, problems: [] });
    expect(observation.format).toBe(name.includes('pcapng') || name.includes('SLL2') ? 'pcapng' : 'pcap');
    expect(summary(await diagnoser.diagnoseCapture(observation))).toEqual(summary(reference));
    // Simple packet blocks carry no timestamp; every other form keeps the same times.
    expect(observation.firstAt).toBe(name.includes('simple') ? null : referenceObservation.firstAt);
  });

  it.each([1, 7, 100, 1500, 65536])('read as a stream in chunks of %i bytes, pcap and pcapng read the same', async (size) => {
    for (const [file, format] of [[lab.all, 'pcap'], [lab.allPcapng, 'pcapng']] as const) {
      const bytes = readFileSync(file);
      const chunks = async function* (): AsyncGenerator<Buffer> {
        for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
      };
      const observation = await readCaptureStream(chunks(), 'all');
      expect(observation).toMatchObject({ format, packets: referenceObservation.packets, truncated: false });
      expect(summary(await diagnoser.diagnoseCapture(observation))).toEqual(summary(reference));
    }
  });

  it('the reference itself is what the scenarios made', async () => {
    expect(reference.cause).toBe('protocol-too-old');
    expect(referenceObservation.firstAt).toMatch(/^20\d\d-/);
  });

  it('skips frames of a link type it does not know, and says so', async () => {
    const observation = readCapture(writePcap(records, { linkType: 147 }), 'user0.pcap');
    expect(observation).toMatchObject({ packets: records.length, tcpPackets: 0, connections: 0 });
    expect(observation.problems).toEqual([`${records.length} packet(s) of link type 147 (not supported) were skipped`]);
  });
});

describe('damaged and foreign input', () => {
  it('a capture cut mid-packet is read up to the cut, and says it was cut', async () => {
    const whole = readFileSync(lab.all);
    const cut = whole.subarray(0, whole.length - 7);
    const observation = readCapture(cut, 'cut.pcap');
    expect(observation.truncated).toBe(true);
    expect(observation.packets).toBe(records.length - 1);
    expect(observation.problems[0]).toMatch(/^the file ends inside a packet \(\d+ bytes of an unfinished record at byte \d+\): the capture was cut short$/);
    const d = await diagnoser.diagnoseCapture(observation);
    expect(d.cause).toBe('protocol-too-old');
    expect(d.capture).toMatchObject({ truncated: true, name: 'cut.pcap' });
  });

  it("a cut inside the server's flight: the connection shows what arrived, nothing more", async () => {
    const scenario = lab.scenarios['server-cert-untrusted']?.file as string;
    const frames = parsePcap(readFileSync(scenario));
    const flight = frames.findIndex((f) => f.data.length > 400);
    const cut = writePcap(frames.slice(0, flight + 1)).subarray(0, 24 + frames.slice(0, flight + 1).reduce((n, f) => n + 16 + f.data.length, 0) - 5);
    const observation = readCapture(cut, 'cut.pcap');
    expect(observation.truncated).toBe(true);
    const steps = observation.groups[0]?.example.steps.map((s) => s.kind);
    expect(steps).toEqual(['syn', 'syn-ack', 'client-hello']);
    const d = await diagnoser.diagnoseCapture(observation);
    expect(d.cause).toBe('handshake-aborted');
    expect(d.title).toMatch(/never answered/);
  });

  it('garbage is refused with a clear message', async () => {
    const garbage = Buffer.concat([Buffer.from([0x13, 0x37, 0xbe, 0xef]), randomBytes(4092)]);
    expect(() => readCapture(garbage, 'garbage.pcap')).toThrow(CaptureFormatError);
    expect(() => readCapture(garbage, 'garbage.pcap')).toThrow(/^not a pcap or pcapng capture: it starts with 13 37 be ef$/);
    expect(await observeCaptureUpload(garbage, 'garbage.pcap')).toEqual({ problem: 'garbage.pcap is not a readable packet capture: not a pcap or pcapng capture: it starts with 13 37 be ef' });
  });

  it('a pcap header followed by garbage names the damage', async () => {
    const bytes = Buffer.concat([writePcap([]), Buffer.from('deadbeefdeadbeefdeadbeefdeadbeef', 'hex')]);
    expect(await observeCaptureUpload(bytes, 'x.pcap')).toEqual({
      problem: 'x.pcap starts like a pcap capture but holds no readable packet: packet record 1 at byte 24 claims 4022250974 bytes: the file is damaged from there on, so the rest was not read',
    });
  });

  it('bytes changed anywhere in a real capture never crash the reader or the rules', async () => {
    const base = readFileSync(lab.scenarios['client-cert-missing']?.file as string);
    const flip = fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 }));
    await fc.assert(
      fc.asyncProperty(fc.array(flip, { minLength: 1, maxLength: 12 }), async (flips) => {
        const bytes = Buffer.from(base);
        for (const [at, value] of flips) bytes[at] = value;
        let observation: CaptureObservation;
        try {
          observation = readCapture(bytes, 'fuzzed.pcap');
        } catch (error) {
          expect(error).toBeInstanceOf(CaptureFormatError);
          return;
        }
        const d = await diagnoser.diagnoseCapture(observation);
        expect(d.connections.total).toBe(observation.connections);
      }),
      { numRuns: 300 },
    );
  });

  it('an empty capture is not a failure', async () => {
    const d = await diagnoser.diagnoseCapture(readCapture(writePcap([]), 'empty.pcap'));
    expect({ cause: d.cause, ladder: d.ladder, total: d.connections.total }).toEqual({ cause: 'unknown', ladder: [], total: 0 });
    expect(() => readCapture(Buffer.alloc(10), 'tiny.pcap')).toThrow('the file is only 10 bytes: too short for a capture header');
  });
});
