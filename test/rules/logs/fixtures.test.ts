import { describe, expect, it } from 'vitest';
import { CAUSES, createDiagnoser, isCauseId, type CauseId } from '../../../rules/index.js';
import { loadLogFixtures, readFixture } from '../../helpers/fixtures.js';
import { acceptedAmbiguities, GENERIC_CAUSES, isAcceptedAmbiguity } from './ambiguity.js';

// Table-driven: every fixture is real output of real software (or verbatim public DataPower text),
// and its manifest entry holds the ground truth of the scenario that produced it.
const diagnoser = createDiagnoser();
const fixtures = loadLogFixtures();

describe('log fixtures from real software', () => {
  it('has fixtures with known cause ids', () => {
    expect(fixtures.length).toBeGreaterThan(30);
    for (const f of fixtures) expect(isCauseId(f.cause), `${f.file}: ${f.cause}`).toBe(true);
  });

  it.each(fixtures.map((f) => [f.file, f] as const))('%s', async (_file, fixture) => {
    const text = readFixture(fixture.file);
    const d = await diagnoser.diagnoseText(text);
    // A calibrated answer: a generic cause whose alternatives name the truth (causes.md, "When the evidence cannot tell").
    const calibrated = GENERIC_CAUSES.has(d.cause) && (d.alternatives ?? []).some((a) => a.cause === fixture.cause);
    const ambiguous = calibrated || isAcceptedAmbiguity(fixture.cause, d.cause, fixture.vantage);
    if (!ambiguous) expect([fixture.cause, ...(fixture.alsoAcceptable ?? [])]).toContain(d.cause);
    // Never a confident wrong team: a specific cause must name a team one acceptable reading has.
    if (!GENERIC_CAUSES.has(d.cause)) {
      const teams = [fixture.cause, ...(fixture.alsoAcceptable ?? []), ...acceptedAmbiguities(fixture.cause, fixture.vantage)].map((c) => CAUSES[c as CauseId]?.team);
      expect(teams, `${fixture.file}: ${d.cause} names the ${d.team} team`).toContain(d.team);
    }
    if (d.cause === 'unknown') {
      expect(d.evidence).toEqual([]);
      return;
    }
    expect(d.evidence.length).toBeGreaterThan(0);
    expect(d.redHerringOnly).toBe(d.cause === 'red-herring-only');
    if (fixture.redHerring !== undefined) expect(d.redHerringPresent).toBe(fixture.redHerring);
    if (fixture.vantage && d.cause === fixture.cause && d.vantage !== 'unknown') expect(d.vantage).toBe(fixture.vantage);
    if (ambiguous) return;
    // A warning needs its evidence in the text (Go logs a CONNECT like any other non-TLS bytes).
    const showsProxy = /proxy request|CONNECT /i.test(text);
    for (const w of fixture.warnings ?? []) if (w !== 'proxy-request-on-tls-port' || showsProxy) expect(d.warnings.map((x) => x.id)).toContain(w);
    if (fixture.counts) {
      expect(d.count).toBe(fixture.counts[d.cause]);
      for (const other of d.others) if (fixture.counts[other.cause] !== undefined) expect(other.count).toBe(fixture.counts[other.cause]);
    }
    for (const other of fixture.others ?? []) {
      expect(d.others.find((o) => o.cause === other.cause)?.count, `${other.cause} count`).toBe(other.count);
    }
  });
});

describe('ambiguities stay exceptions', () => {
  it('every cause with fixtures is diagnosed exactly from at least one of them', async () => {
    const truths = new Set(fixtures.map((f) => f.cause));
    const hit = new Set<string>();
    for (const f of fixtures) if ((await diagnoser.diagnoseText(readFixture(f.file))).cause === f.cause) hit.add(f.cause);
    expect([...truths].filter((c) => !hit.has(c))).toEqual([]);
  });
});

describe('coverage of the cause table', () => {
  // Every failure cause that real material exists for has fixtures from two different sources.
  const bySource = new Map<string, Set<string>>();
  for (const f of fixtures) {
    const source = f.file.split('/')[0] as string;
    bySource.set(f.cause, (bySource.get(f.cause) ?? new Set()).add(source));
  }
  const twoSources = [
    'plain-http-on-tls-port', 'tls-on-plain-port', 'protocol-too-old', 'protocol-too-new', 'legacy-ssl', 'no-shared-cipher',
    'client-cert-missing', 'client-cert-expired', 'client-cert-untrusted', 'server-cert-untrusted', 'server-chain-incomplete',
    'server-cert-expired', 'server-cert-hostname-mismatch', 'connection-refused', 'handshake-aborted', 'dns-failure', 'unknown',
  ];
  it.each(twoSources)('%s has fixtures from at least two sources', (cause) => {
    expect([...(bySource.get(cause) ?? [])].length).toBeGreaterThanOrEqual(2);
  });
});
