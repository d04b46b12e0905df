import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderReplyText } from '../../../adapters/text/render.js';
import { readCapture } from '../../../bot/capture/read-capture.js';
import { createDiagnoser, type CaptureDiagnosis } from '../../../rules/index.js';
import { captureLab } from './helpers/lab.js';
import { SCENARIOS } from './helpers/scenarios.js';

// Every scenario's connections in one capture, as a capture on a shared port holds them: the most
// frequent failure leads, each other failure is listed with its count and gets its own ladder.

const diagnoser = createDiagnoser();
let d: CaptureDiagnosis;
beforeAll(async () => {
  const lab = await captureLab();
  d = await diagnoser.diagnoseCapture(readCapture(readFileSync(lab.all), 'all.pcap'));
}, 120_000);

function expectedCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of SCENARIOS) counts.set(s.cause, (counts.get(s.cause) ?? 0) + s.connections);
  return counts;
}

describe('several connections in one capture', () => {
  it('leads with the most frequent failing cause', () => {
    expect({ cause: d.cause, count: d.count }).toEqual({ cause: 'protocol-too-old', count: 3 });
    const total = SCENARIOS.reduce((n, s) => n + s.connections, 0);
    const healthy = expectedCounts().get('healthy') ?? 0;
    expect(d.connections).toMatchObject({ total, completed: healthy, failing: total - healthy, incomplete: 0 });
  });

  it('lists every other failing cause with its count', () => {
    const expected = [...expectedCounts()].filter(([cause]) => cause !== 'healthy' && cause !== 'protocol-too-old');
    expect(new Map(d.others.map((o) => [o.cause, o.count]))).toEqual(new Map(expected));
    expect(new Map(d.connections.byCause.map((b) => [b.cause, b.count]))).toEqual(expectedCounts());
  });

  it('gives each failing kind of connection its ladder, the leading cause first, healthy ones none', () => {
    expect(d.ladder[0]).toMatchObject({ cause: 'protocol-too-old', count: 3 });
    expect(d.ladder.some((l) => l.cause === 'healthy')).toBe(false);
    expect(new Set(d.ladder.map((l) => l.cause))).toEqual(new Set([...expectedCounts().keys()].filter((c) => c !== 'healthy')));
    expect(d.warnings.map((w) => w.id)).toEqual(['legacy-protocol-enabled']);
  });

  it('renders as text with the ladders above the diagnosis, and no duplicate evidence lines', () => {
    const text = renderReplyText({ kind: 'diagnosis', diagnosis: d, full: true });
    const lines = text.split('\n');
    const c = d.connections;
    expect(lines[0]).toMatch(new RegExp(`^Capture all\\.pcap \\(pcap\\): \\d+ packets, ${c.total} TCP connections, ${c.total - 1} with TLS: ${c.completed} completed, ${c.failing} failing$`));
    expect(lines[1]).toMatch(/^ {2}by cause: protocol-too-old x3, server-cert-untrusted x2, /);
    expect(text).toMatch(/\nHandshake 127\.0\.0\.1:\d+ -> 127\.0\.0\.1:\d+ \(protocol-too-old, 3 connections like it\)\n {2}The server 127\.0\.0\.1:\d+ sent a fatal protocol_version alert after the client's ClientHello \(frame \d+\)\n {2} *#\d+ {2}client -> server {2}\[SYN\]\n/);
    expect(text).not.toContain('Evidence:');
    expect(text).toContain('\nAlso in this input:\n  - server-cert-untrusted (the client cannot verify the server certificate, client team to act) on 2 connections, e.g. line ');
    expect(lines.at(-1)).toBe('cause: protocol-too-old');
  });
});
