import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCapture } from '../../../bot/capture/read-capture.js';
import { createDiagnoser, type CaptureDiagnosis, type CaptureObservation } from '../../../rules/index.js';
import { captureLab, type Lab } from './helpers/lab.js';
import { SCENARIOS, type Scenario } from './helpers/scenarios.js';
import { decoded, dissect, tsharkRows } from './helpers/tshark.js';

// Real handshakes captured with tcpdump on lo: each failing scenario must come out with its cause,
// the side that sent the alert and the ladder's steps; and what the decoder read must be what
// tshark reads in the same file (versions, suites, alerts and who sent them).

const diagnoser = createDiagnoser();
let lab: Lab;
beforeAll(async () => void (lab = await captureLab()), 120_000);

function read(s: Scenario): CaptureObservation {
  const file = lab.scenarios[s.id]?.file as string;
  return readCapture(readFileSync(file), basename(file));
}

/** The ladder lines must contain the expected substrings, in order. */
function expectInOrder(lines: readonly string[], expected: readonly string[]): void {
  let at = 0;
  for (const want of expected) {
    const found = lines.findIndex((l, i) => i >= at && l.includes(want));
    expect(found, `"${want}" after line ${at} in:\n${lines.join('\n')}`).toBeGreaterThanOrEqual(0);
    at = found;
  }
}

describe('captured handshakes: cause, alert sender, ladder', () => {
  it.each(SCENARIOS.map((s) => [s.id, s] as const))('%s', async (_, s) => {
    const observation = read(s);
    const d: CaptureDiagnosis = await diagnoser.diagnoseCapture(observation);
    expect({ cause: d.cause, team: d.team, connections: d.connections.total }).toEqual({ cause: s.cause, team: s.team, connections: s.connections });
    expect(observation.truncated).toBe(false);
    const [entry] = d.ladder;
    expect(entry?.count).toBe(s.connections);
    expectInOrder(entry?.steps.map((x) => x.line) ?? [], s.ladder);
    expect(d.warnings.map((w) => w.id)).toEqual(s.warnings ?? []);
    const example = observation.groups[0]?.example;
    const alert = example?.steps.find((x) => x.kind === 'alert' && x.level === 'fatal');
    if (s.alert) expect(alert).toMatchObject({ from: s.alert.from, description: s.alert.description });
    else expect(alert).toBeUndefined();
    // The sentence the reply leads with names who aborted, at which step, and with what.
    if (s.summary) expect(entry?.summary).toMatch(s.summary);
    else if (s.alert) expect(entry?.summary).toMatch(new RegExp(`^The ${s.alert.from} 127\\.0\\.0\\.1:\\d+ sent a fatal ${s.alert.description} alert after the ${s.alert.after} \\(frame \\d+\\)$`));
    if (s.cause === 'healthy') expect(d.connections).toMatchObject({ completed: s.connections, failing: 0 });
    else expect(d.connections).toMatchObject({ completed: 0, failing: s.connections });
  });

  it('names the failing step and the frame in the explanation', async () => {
    const d = await diagnoser.diagnoseCapture(read(SCENARIOS.find((s) => s.id === 'server-cert-untrusted') as Scenario));
    expect(d.explanation).toMatch(/^The client 127\.0\.0\.1:\d+ sent a fatal unknown_ca alert after the server's Certificate \(frame \d+\)\./);
    expect(d.title).toMatch(/does not trust the certificate of 127\.0\.0\.1:\d+ \(unknown_ca\)/);
    expect(d.keyLine?.text).toMatch(/client -> server {2}Alert fatal unknown_ca$/);
    expect(d.owner).toBe('the client at 127.0.0.1');
  });
});

describe('the decoder reads what tshark reads', () => {
  it.each(SCENARIOS.filter((s) => s.tlsServer).map((s) => [s.id, s] as const))('%s', (_, s) => {
    const observation = read(s);
    const rows = tsharkRows(lab.scenarios[s.id]?.file as string);
    for (const { example } of observation.groups) {
      const ours = decoded(example);
      expect(ours).toEqual(dissect(rows, example));
      if (s.id !== 'plain-http') expect(ours.clientHellos).toHaveLength(s.id === 'hello-retry' ? 2 : 1);
      if (s.alert) expect(ours.alerts.length).toBeGreaterThan(0);
    }
  });

  it('tls-on-plain-port: the client side agrees, the echoed bytes are not taken for a server speaking TLS', () => {
    const s = SCENARIOS.find((x) => x.id === 'tls-on-plain-port') as Scenario;
    const example = read(s).groups[0]?.example;
    if (!example) throw new Error('no connection');
    const theirs = dissect(tsharkRows(lab.scenarios[s.id]?.file as string), example);
    const ours = decoded(example);
    // tshark dissects the echo as a ClientHello and an alert from the server; the decoder does not.
    expect(theirs.clientHellos.length).toBe(2);
    expect(ours.clientHellos).toEqual(theirs.clientHellos.slice(0, 1));
    expect(ours.alerts).toEqual(theirs.alerts.filter((a) => a.from === 'client'));
    expect(theirs.alerts.some((a) => a.from === 'server')).toBe(true);
  });
});
