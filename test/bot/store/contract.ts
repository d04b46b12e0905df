import { afterEach, describe, expect, it } from 'vitest';
import type { DiagnosisSummary, IncidentKey, IncidentStore, NewEvidence, StoreOptions } from '../../../bot/store/types.js';

// The behaviour every IncidentStore backend must share. Each backend's test file runs it with its
// own `open`; backend-specific checks (files on disk, raw Redis keys) live beside it.

export interface ContractSettings {
  /** Expiry runs on the server's own clock (Redis): the suite waits for real instead of moving the injected clock. */
  readonly realTime: boolean;
}

export type OpenStore = (options: StoreOptions) => Promise<IncidentStore>;

const DAY = 24 * 60 * 60 * 1000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function testClock(realTime: boolean): { now: () => number; advance(ms: number): Promise<void> } {
  let fake = Date.parse('2031-03-04T05:06:07.000Z');
  return {
    now: () => (realTime ? Date.now() : fake),
    async advance(ms) {
      if (realTime) await sleep(ms);
      else fake += ms;
    },
  };
}

// A Teams-like key: ':' and ';' in ids are why key parts are encoded.
export const keyOf = (thread = '1700000000.000100'): IncidentKey => ({ platform: 'teams', channel: '19:abc@thread.tacv2;messageid=17', thread });

export const paste = (text: string, extra: Partial<NewEvidence> = {}): NewEvidence => ({
  kind: 'paste', user: 'U123', at: '2031-03-04T05:06:07.000Z', text, bytes: Buffer.byteLength(text), gathered: ['client-log'], ...extra,
});

export const diagnosis = (basedOn: number, cause = 'expired-server-cert', team = 'platform', extra: Partial<DiagnosisSummary> = {}): DiagnosisSummary => ({
  cause, team, title: `Certificate expired (${basedOn})`, redHerringOnly: false, basedOn, at: `2031-03-04T05:07:${String(basedOn % 60).padStart(2, '0')}.000Z`, ...extra,
});

function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

export function describeStoreContract(name: string, open: OpenStore, settings: ContractSettings): void {
  describe(`${name} store contract`, () => {
    const opened: IncidentStore[] = [];
    let clock = testClock(settings.realTime);
    const fresh = async (retentionMs = DAY): Promise<IncidentStore> => {
      clock = testClock(settings.realTime);
      const store = await open({ retentionMs, now: clock.now });
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    it('round-trips every evidence field with seq 1..n and created only the first time', async () => {
      const store = await fresh();
      const items: NewEvidence[] = [
        paste('handshake failure: certificate has expired — ünïcødé ✓\nline 2', { eventId: 'Ev01' }),
        { kind: 'file', user: 'U456', at: '2031-03-04T05:06:08.000Z', name: 'capture.pcap', base64: Buffer.from([0, 1, 2, 255, 254]).toString('base64'), bytes: 5, gathered: [] },
        {
          kind: 'probe', user: 'U123', at: '2031-03-04T05:06:09.000Z', name: 'api.example.com:443', bytes: 0, gathered: ['probe', 'server-cert'], eventId: 'Ev03',
          observation: {
            target: 'api.example.com:443', tcp: 'connected', speaksTls: true, protocolsAccepted: ['TLSv1.2', 'TLSv1.3'],
            certificate: { expired: true, notYetValid: false, daysLeft: -3, selfSigned: false, chainComplete: null, trusted: true, hostnameMatches: true, weak: false },
          },
        },
      ];
      const results = [];
      for (const item of items) results.push(await store.addEvidence(keyOf(), item));
      expect(results).toEqual([{ seq: 1, created: true }, { seq: 2, created: false }, { seq: 3, created: false }]);
      const incident = await store.load(keyOf());
      expect(incident?.evidence).toEqual(items.map((item, i) => ({ ...item, seq: i + 1 })));
      expect(incident?.feedback).toEqual([]);
      // Absent optional fields stay absent rather than coming back as null or undefined keys.
      expect(Object.keys(incident?.evidence[1] ?? {}).sort()).toEqual(['at', 'base64', 'bytes', 'gathered', 'kind', 'name', 'seq', 'user']);
      expect(incident?.evidence[1]?.gathered).toEqual([]);
    });

    it('keeps only the evidence fields, not whatever else the caller object carries', async () => {
      const store = await fresh();
      await store.addEvidence(keyOf(), { ...paste('x'), somethingElse: 'no' } as NewEvidence);
      const [stored] = (await store.load(keyOf()))?.evidence ?? [];
      expect(stored).toEqual({ ...paste('x'), seq: 1 });
      expect(stored).not.toHaveProperty('somethingElse');
    });

    it('creates an open incident with an empty timeline array that stays an array after updates', async () => {
      const store = await fresh();
      const before = clock.now();
      await store.addEvidence(keyOf(), paste('one'));
      const first = (await store.load(keyOf()))?.state;
      expect(first).toMatchObject({ key: keyOf(), status: 'open', timeline: [] });
      expect(Array.isArray(first?.timeline)).toBe(true);
      expect(first).not.toHaveProperty('diagnosis');
      expect(first).not.toHaveProperty('firstReplyRef');
      expect(first?.createdAt).toBe(first?.updatedAt);
      expect(Date.parse(first?.createdAt ?? '')).toBeGreaterThanOrEqual(before);
      await clock.advance(20);
      await store.addEvidence(keyOf(), paste('two'));
      await store.setFirstReply(keyOf(), 'reply-1');
      const second = (await store.load(keyOf()))?.state;
      expect(second?.timeline).toEqual([]);
      expect(Array.isArray(second?.timeline)).toBe(true);
      expect(second?.createdAt).toBe(first?.createdAt);
      expect(Date.parse(second?.updatedAt ?? '')).toBeGreaterThan(Date.parse(first?.updatedAt ?? ''));
    });

    it('keeps incidents apart even when a naive join of the key parts would collide', async () => {
      const store = await fresh();
      const a: IncidentKey = { platform: 'slack', channel: 'C1/x', thread: 't' };
      const b: IncidentKey = { platform: 'slack', channel: 'C1', thread: 'x/t' };
      const c: IncidentKey = { platform: 'teams', channel: 'C1/x', thread: 't' };
      expect(await store.addEvidence(a, paste('a'))).toEqual({ seq: 1, created: true });
      expect(await store.addEvidence(b, paste('b'))).toEqual({ seq: 1, created: true });
      expect(await store.addEvidence(c, paste('c'))).toEqual({ seq: 1, created: true });
      expect((await store.load(a))?.evidence.map((e) => e.text)).toEqual(['a']);
      expect((await store.load(b))?.state.key).toEqual(b);
      expect(await store.load({ ...a, thread: 'other' })).toBeUndefined();
    });

    it('lands 50 concurrent addEvidence calls with distinct seqs 1..50', async () => {
      const store = await fresh();
      const texts = Array.from({ length: 50 }, (_, i) => `message ${i}`);
      const results = await Promise.all(texts.map((t) => store.addEvidence(keyOf(), paste(t))));
      expect(results.map((r) => r.seq).sort((x, y) => x - y)).toEqual(texts.map((_, i) => i + 1));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const evidence = (await store.load(keyOf()))?.evidence ?? [];
      expect(evidence.map((e) => e.seq)).toEqual(texts.map((_, i) => i + 1));
      expect(evidence.map((e) => e.text).sort()).toEqual([...texts].sort());
    });

    it('records a diagnosis only when computed on more evidence, with a timeline entry only on cause or team change', async () => {
      const store = await fresh();
      await store.addEvidence(keyOf(), paste('x'));
      const d1 = diagnosis(1, 'expired-server-cert', 'platform', { owner: 'pki-team', title: 'Zertifikat abgelaufen ✓' });
      expect(await store.recordDiagnosis(keyOf(), d1)).toEqual({ won: true });
      expect(await store.recordDiagnosis(keyOf(), diagnosis(1, 'other'))).toEqual({ won: false });
      expect(await store.recordDiagnosis(keyOf(), diagnosis(0, 'other'))).toEqual({ won: false });
      const d2 = diagnosis(2);
      expect(await store.recordDiagnosis(keyOf(), d2)).toEqual({ won: true, previous: d1 });
      let state = (await store.load(keyOf()))?.state;
      expect(state?.diagnosis).toEqual(d2);
      expect(state?.timeline).toEqual([{ at: d1.at, what: 'diagnosis', cause: d1.cause, team: d1.team, basedOn: 1 }]);
      const d3 = diagnosis(3, 'untrusted-root');
      expect(await store.recordDiagnosis(keyOf(), d3)).toEqual({ won: true, previous: d2 });
      const d5 = diagnosis(5, 'untrusted-root', 'client-team');
      expect(await store.recordDiagnosis(keyOf(), d5)).toEqual({ won: true, previous: d3 });
      state = (await store.load(keyOf()))?.state;
      expect(state?.diagnosis).toEqual(d5);
      expect(state?.diagnosis).not.toHaveProperty('owner');
      expect(state?.timeline.map((t) => (t.what === 'diagnosis' ? [t.cause, t.team, t.basedOn] : t.what))).toEqual([
        ['expired-server-cert', 'platform', 1],
        ['untrusted-root', 'platform', 3],
        ['untrusted-root', 'client-team', 5],
      ]);
    });

    it('does not create an incident to record a diagnosis on', async () => {
      const store = await fresh();
      expect(await store.recordDiagnosis(keyOf(), diagnosis(1))).toEqual({ won: false });
      expect(await store.load(keyOf())).toBeUndefined();
    });

    it('ends on the diagnosis with the most evidence when 20 race in random order', async () => {
      const store = await fresh();
      await store.addEvidence(keyOf(), paste('x'));
      const order = shuffled(Array.from({ length: 20 }, (_, i) => i + 1));
      const results = await Promise.all(order.map((n) => store.recordDiagnosis(keyOf(), diagnosis(n, `cause-${n}`))));
      const state = (await store.load(keyOf()))?.state;
      expect(state?.diagnosis?.basedOn).toBe(20);
      expect(state?.diagnosis?.cause).toBe('cause-20');
      // Every winner replaced something lower, so winners' basedOn rise in the order they won.
      const winners = results.flatMap((r, i) => (r.won ? [order[i] as number] : []));
      expect(winners).toContain(20);
      expect(state?.timeline.map((t) => (t.what === 'diagnosis' ? t.basedOn : -1)).sort((x, y) => x - y)).toEqual(winners.sort((x, y) => x - y));
    });

    it('lets only the first setFirstReply win', async () => {
      const store = await fresh();
      expect(await store.setFirstReply(keyOf(), 'nobody')).toBe(false);
      await store.addEvidence(keyOf(), paste('x'));
      const results = await Promise.all(['r1', 'r2', 'r3'].map((r) => store.setFirstReply(keyOf(), r)));
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = ['r1', 'r2', 'r3'][results.indexOf(true)];
      expect((await store.load(keyOf()))?.state.firstReplyRef).toBe(winner);
      expect(await store.setFirstReply(keyOf(), 'late')).toBe(false);
    });

    it('resolves and reopens with timeline entries, and refuses a missing incident', async () => {
      const store = await fresh();
      expect(await store.setStatus(keyOf(), 'resolved', 'U1', '2031-03-04T06:00:00.000Z')).toBe(false);
      expect(await store.load(keyOf())).toBeUndefined();
      await store.addEvidence(keyOf(), paste('x'));
      expect(await store.setStatus(keyOf(), 'resolved', 'U1', '2031-03-04T06:00:00.000Z')).toBe(true);
      expect((await store.load(keyOf()))?.state.status).toBe('resolved');
      // Resolving again changes nothing, so the timeline does not repeat itself.
      expect(await store.setStatus(keyOf(), 'resolved', 'U2', '2031-03-04T06:30:00.000Z')).toBe(true);
      expect(await store.setStatus(keyOf(), 'open', 'U2', '2031-03-04T07:00:00.000Z')).toBe(true);
      const state = (await store.load(keyOf()))?.state;
      expect(state?.status).toBe('open');
      expect(state?.timeline).toEqual([
        { at: '2031-03-04T06:00:00.000Z', what: 'resolved', by: 'U1' },
        { at: '2031-03-04T07:00:00.000Z', what: 'reopened', by: 'U2' },
      ]);
    });

    it('caps the timeline at 200 entries, dropping the oldest', async () => {
      const store = await fresh();
      await store.addEvidence(keyOf(), paste('x'));
      await store.recordDiagnosis(keyOf(), diagnosis(1));
      for (let i = 0; i < 210; i++) {
        await store.setStatus(keyOf(), i % 2 === 0 ? 'resolved' : 'open', `U${i}`, new Date(Date.UTC(2031, 0, 1, 0, 0, i)).toISOString());
      }
      const timeline = (await store.load(keyOf()))?.state.timeline ?? [];
      expect(timeline).toHaveLength(200);
      // 211 entries were written (1 diagnosis + 210 status changes): the first 11 are gone.
      expect(timeline[0]).toEqual({ at: new Date(Date.UTC(2031, 0, 1, 0, 0, 10)).toISOString(), what: 'resolved', by: 'U10' });
      expect(timeline[199]).toEqual({ at: new Date(Date.UTC(2031, 0, 1, 0, 0, 209)).toISOString(), what: 'reopened', by: 'U209' });
    });

    it('forgets everything and reports how much evidence went', async () => {
      const store = await fresh();
      for (const t of ['a', 'b', 'c']) await store.addEvidence(keyOf(), paste(t));
      await store.recordDiagnosis(keyOf(), diagnosis(3));
      await store.addEvidence(keyOf('other'), paste('keep'));
      expect(await store.forget(keyOf())).toBe(3);
      expect(await store.load(keyOf())).toBeUndefined();
      expect(await store.forget(keyOf())).toBe(0);
      expect(await store.forget(keyOf('never'))).toBe(0);
      expect((await store.load(keyOf('other')))?.evidence).toHaveLength(1);
      // A new message after forget starts a new incident, without the old diagnosis.
      expect(await store.addEvidence(keyOf(), paste('d'))).toEqual({ seq: 1, created: true });
      expect((await store.load(keyOf()))?.state).not.toHaveProperty('diagnosis');
    });

    it('keeps feedback with its thread: loaded with the incident, listed for export, gone with forget', async () => {
      const store = await fresh();
      await store.addEvidence(keyOf(), paste('a'));
      const wrong = { user: 'U1', at: '2031-03-04T05:10:00.000Z', verdict: 'wrong' as const, cause: 'server-cert-untrusted', comment: 'it was the proxy — ünïcødé' };
      const right = { user: 'U2', at: '2031-03-04T05:11:00.000Z', verdict: 'right' as const, cause: 'server-cert-untrusted' };
      await store.addFeedback(keyOf(), wrong);
      await store.addFeedback(keyOf(), right);
      // A reply outside any incident (a slash command's answer) can be judged too.
      const loose = { platform: 'slack', channel: 'C9', thread: '1700000000.000900' };
      await store.addFeedback(loose, { user: 'U3', at: '2031-03-04T05:12:00.000Z', verdict: 'wrong', cause: 'unknown' });
      expect((await store.load(keyOf()))?.feedback).toEqual([wrong, right]);
      expect(Object.keys((await store.load(keyOf()))?.feedback[1] ?? {}).sort()).toEqual(['at', 'cause', 'user', 'verdict']);
      expect(await store.load(loose)).toBeUndefined();
      expect(await store.listFeedback()).toEqual([
        { key: keyOf(), ...wrong },
        { key: keyOf(), ...right },
        { key: loose, user: 'U3', at: '2031-03-04T05:12:00.000Z', verdict: 'wrong', cause: 'unknown' },
      ]);
      await store.forget(keyOf());
      expect((await store.listFeedback()).map((f) => f.user)).toEqual(['U3']);
      // A new incident in the thread starts without the forgotten verdicts.
      await store.addEvidence(keyOf(), paste('b'));
      expect((await store.load(keyOf()))?.feedback).toEqual([]);
    });

    it('lets feedback expire retentionMs after it was given', async () => {
      const store = await fresh(400);
      await store.addFeedback(keyOf('fb'), { user: 'U1', at: '2031-03-04T05:10:00.000Z', verdict: 'right', cause: 'healthy' });
      expect(await store.listFeedback()).toHaveLength(1);
      await clock.advance(600);
      await store.purgeExpired();
      expect(await store.listFeedback()).toEqual([]);
    });

    it('claims an event once, keeps it after completion, and frees it when a lease or the memory runs out', async () => {
      const store = await fresh();
      expect(await store.claimEvent('Ev1', 60_000)).toBe(true);
      expect(await store.claimEvent('Ev1', 60_000)).toBe(false);
      await store.completeEvent('Ev1', 60_000);
      expect(await store.claimEvent('Ev1', 60_000)).toBe(false);
      expect(await store.claimEvent('Ev2', 60_000)).toBe(true);

      const raced = await Promise.all(Array.from({ length: 10 }, () => store.claimEvent('Ev3', 60_000)));
      expect(raced.filter(Boolean)).toHaveLength(1);

      expect(await store.claimEvent('lease', 150)).toBe(true);
      expect(await store.claimEvent('short', 150)).toBe(true);
      await store.completeEvent('short', 150);
      await clock.advance(250);
      // The handler of 'lease' died without completing: a redelivery may be answered.
      expect(await store.claimEvent('lease', 60_000)).toBe(true);
      expect(await store.claimEvent('short', 60_000)).toBe(true);
      expect(await store.claimEvent('Ev1', 60_000)).toBe(false);
      expect(await store.purgeExpired()).toBeGreaterThanOrEqual(0);
    });

    it('expires an incident retentionMs after its last activity, not after its creation', async () => {
      const store = await fresh(500);
      await store.addEvidence(keyOf(), paste('a'));
      await store.addEvidence(keyOf('idle'), paste('idle'));
      await clock.advance(250);
      await store.addEvidence(keyOf(), paste('b'));
      await clock.advance(300);
      expect((await store.load(keyOf()))?.evidence.map((e) => e.text)).toEqual(['a', 'b']);
      expect(await store.load(keyOf('idle'))).toBeUndefined();
      await clock.advance(550);
      expect(await store.load(keyOf())).toBeUndefined();
      expect(await store.setStatus(keyOf(), 'resolved', 'U1', '2031-03-04T06:00:00.000Z')).toBe(false);
      expect(await store.setFirstReply(keyOf(), 'r')).toBe(false);
      expect(await store.recordDiagnosis(keyOf(), diagnosis(9))).toEqual({ won: false });
      // A new message starts over: nothing of the expired incident leaks into it.
      expect(await store.addEvidence(keyOf(), paste('c'))).toEqual({ seq: 1, created: true });
      expect((await store.load(keyOf()))?.evidence.map((e) => e.text)).toEqual(['c']);
    });
  });
}
