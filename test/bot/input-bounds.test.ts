import { describe, expect, it } from 'vitest';
import { logText, pemBlocks, synFlood } from '../../bench/attacks/inputs.js';
import { observeCaptureUpload } from '../../bot/capture/input.js';
import { MAX_DER_BYTES, MAX_PEM_BLOCKS, readDerCertificates, readPemCertificates } from '../../bot/certificates/read.js';
import { configSchema } from '../../bot/config.js';
import { createBot, type Message } from '../../bot/index.js';
import { InputGate } from '../../bot/input-gate.js';
import { parseIntent } from '../../bot/intent.js';
import { createLogger } from '../../bot/logger.js';
import { createDiagnoser, type Diagnoser } from '../../rules/index.js';
import { ask, recordingThread, tempSqliteStore } from '../helpers/bot.js';

// The work of one input is done a slice at a time (issue 16: no input holds the event loop for
// long), and what a channel member can pile up is bounded: messages read at once, text per
// incident, certificate blocks. Each bound is asserted as a count: turns of the event loop seen,
// slices done, messages in work at once, blocks read.

const MIB = 1024 * 1024;
const diagnoser = createDiagnoser();

/** Counts turns of the event loop while `work` runs. */
async function turnsDuring<T>(work: () => Promise<T>): Promise<{ value: T; turns: number }> {
  let turns = 0;
  let running = true;
  const tick = (): void => {
    turns += 1;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  const value = await work();
  running = false;
  return { value, turns };
}

describe('long work in slices', () => {
  it('diagnoses a 20 MiB paste a slice (1 MiB) at a time, pausing in between', async () => {
    const text = logText(20 * MIB);
    let pauses = 0;
    const d = await diagnoser.diagnoseText(text, async () => {
      pauses += 1;
      await new Promise((r) => setImmediate(r));
    });
    expect(d.cause).toBe('no-shared-cipher');
    expect(pauses).toBeGreaterThanOrEqual(19);
    // The same diagnosis as in one piece.
    expect((await diagnoser.diagnoseText(text)).evidence).toEqual(d.evidence);
    const docs = await turnsDuring(() => diagnoser.diagnoseDocuments([{ id: 1, text }, { id: 2, text: logText(MIB) }], async () => void (await new Promise((r) => setImmediate(r)))));
    expect(docs.turns).toBeGreaterThanOrEqual(20);
  });

  it('reads a 20 MiB capture of 300 000 SYNs 64 KiB at a time, all of it', async () => {
    const flood = synFlood(20 * MIB);
    const { value, turns } = await turnsDuring(() => observeCaptureUpload(flood, 'flood.pcap'));
    expect(value).toMatchObject({ observation: { packets: expect.any(Number), connections: expect.any(Number) } });
    if (!('observation' in value)) return;
    expect(value.observation.packets).toBeGreaterThan(290_000);
    expect(value.observation.connections).toBe(value.observation.packets);
    // Every 64 KiB slice and every 2000 connections summarised at the end gave the loop a turn.
    expect(turns).toBeGreaterThanOrEqual(Math.floor(flood.length / (64 * 1024)));
  }, 120_000);

  it('reads the first words of a paste for its intent, however long the paste', () => {
    const huge = `diagnose ${'x '.repeat(5 * MIB)}`;
    expect(parseIntent(huge)).toMatchObject({ kind: 'diagnose', explicit: true });
    expect(parseIntent('probe a.example:443')).toEqual({ kind: 'probe', target: 'a.example:443' });
    expect(parseIntent('probe a.example:443 now')).toMatchObject({ kind: 'diagnose' });
    expect(parseIntent('  status  ')).toEqual({ kind: 'command', command: 'status' });
  });
});

describe('what one member can pile up', () => {
  it('reads at most input.maxConcurrentInputs messages at once (default 1), the others waiting their turn', async () => {
    expect(configSchema.parse({}).input.maxConcurrentInputs).toBe(1);
    let inWork = 0;
    let most = 0;
    const counting: Diagnoser = {
      ...diagnoser,
      async diagnoseText(text, pause) {
        inWork += 1;
        most = Math.max(most, inWork);
        try {
          await new Promise((r) => setTimeout(r, 20));
          return await diagnoser.diagnoseText(text, pause);
        } finally {
          inWork -= 1;
        }
      },
    };
    const { store } = tempSqliteStore();
    const bot = createBot({ diagnoser: counting, config: configSchema.parse({}), logger: createLogger('silent'), store });
    const line = 'curl: (60) SSL certificate problem: certificate has expired';
    // Five threads at once: one thread's lock does not serialise them, the input gate does.
    await Promise.all([1, 2, 3, 4, 5].map((t) => bot.handle({ platform: 'slack', channel: 'C', thread: `t${t}`, user: 'u', text: line, addressed: true }, recordingThread())));
    expect(most).toBe(1);
    const gate = new InputGate(3);
    await Promise.all(Array.from({ length: 10 }, () => gate.run(() => new Promise((r) => setTimeout(r, 5)))));
    expect(gate.peak).toBe(3);
  });

  it('refuses text past input.maxIncidentTextBytes in one incident, naming the limit', async () => {
    const { store } = tempSqliteStore();
    const config = configSchema.parse({ input: { maxIncidentTextBytes: 3 * MIB } });
    const bot = createBot({ diagnoser, config, logger: createLogger('silent'), store });
    const paste = (text: string): Message => ({ platform: 'slack', channel: 'C', thread: 'big', user: 'u', text, addressed: true });
    const first = await ask(bot, paste(logText(2 * MIB)));
    expect(first.map((r) => r.kind)).toEqual(['diagnosis']);
    const second = await ask(bot, paste(logText(2 * MIB)));
    expect(second).toEqual([{ kind: 'error', code: 'INPUT_TOO_LARGE', text: expect.stringMatching(/^This incident already holds 2097152 bytes of log text, and the limit is 3145728 \(input\.maxIncidentTextBytes\)/) }]);
    const small = await ask(bot, paste(logText(512 * 1024)));
    expect(small.map((r) => r.kind)).toEqual(['noted']);
    expect((await store.load({ platform: 'slack', channel: 'C', thread: 'big' }))?.evidence).toHaveLength(2);
  });

  it('reads at most 1000 PEM blocks of a paste and names at most five bad ones; a DER bundle over 1 MiB is not parsed', () => {
    const read = readPemCertificates(pemBlocks(20 * MIB));
    expect(read?.problems).toHaveLength(6);
    expect(read?.problems.at(-1)).toBe(`more than ${MAX_PEM_BLOCKS} PEM blocks: the rest of the input was not read`);
    const bundle = Buffer.alloc(MAX_DER_BYTES + 10);
    // An outer SEQUENCE with a 3-octet length holding the PKCS#7 signedData OID: a bundle by its header.
    Buffer.from([0x30, 0x83, (MAX_DER_BYTES + 5) >> 16, ((MAX_DER_BYTES + 5) >> 8) & 0xff, (MAX_DER_BYTES + 5) & 0xff, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]).copy(bundle);
    expect(readDerCertificates(bundle)).toEqual({ format: 'pkcs7-der', ders: [], problems: [`the file is ${MAX_DER_BYTES + 10} bytes: a certificate or PKCS#7 bundle over ${MAX_DER_BYTES} bytes is not read`] });
  });
});
