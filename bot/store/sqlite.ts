import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { appendTimeline, evidenceRecord, feedbackOf, feedbackRecord, keyString, newState, parseEvidence, parseFeedback, parseState } from './shared.js';
import type { DiagnosisSummary, IncidentKey, IncidentState, IncidentStore, StoreOptions } from './types.js';

// The default store: one SQLite file, no set-up. WAL lets readers run beside a writer, and every
// read-modify-write runs in a BEGIN IMMEDIATE transaction, which takes the write lock up front so
// two processes on one file cannot interleave between the read and the write.

const PURGE_EVERY_MS = 60 * 60 * 1000;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS incidents (
    key TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS incidents_updated_at ON incidents (updated_at);
  CREATE TABLE IF NOT EXISTS evidence (
    key TEXT NOT NULL,
    seq INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (key, seq)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    body TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS feedback_key ON feedback (key);
  CREATE INDEX IF NOT EXISTS feedback_expires_at ON feedback (expires_at);
  CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY,
    state TEXT NOT NULL CHECK (state IN ('claimed', 'done')),
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID;
`;

interface IncidentRow {
  state: string;
  updated_at: number;
}

export function openSqliteStore(path: string, options: StoreOptions): IncidentStore {
  const now = options.now ?? Date.now;
  const retentionMs = options.retentionMs;
  if (path !== ':memory:' && !path.startsWith('file:')) mkdirSync(dirname(path), { recursive: true });

  const db = new Database(path, { timeout: 5000 });
  // busy_timeout first: switching to WAL and creating tables need locks another process may hold.
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  // In WAL mode NORMAL still survives a killed process; only an OS crash can lose the last commits.
  db.pragma('synchronous = NORMAL');
  db.exec(SCHEMA);

  const q = {
    getIncident: db.prepare<[string], IncidentRow>('SELECT state, updated_at FROM incidents WHERE key = ?'),
    putIncident: db.prepare<[string, string, number]>(
      'INSERT INTO incidents (key, state, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at',
    ),
    deleteIncident: db.prepare<[string]>('DELETE FROM incidents WHERE key = ?'),
    lastSeq: db.prepare<[string], { seq: number | null }>('SELECT MAX(seq) AS seq FROM evidence WHERE key = ?'),
    insertEvidence: db.prepare<[string, number, string]>('INSERT INTO evidence (key, seq, body) VALUES (?, ?, ?)'),
    listEvidence: db.prepare<[string], { seq: number; body: string }>('SELECT seq, body FROM evidence WHERE key = ? ORDER BY seq'),
    deleteEvidence: db.prepare<[string]>('DELETE FROM evidence WHERE key = ?'),
    purgeEvidence: db.prepare<[number]>('DELETE FROM evidence WHERE key IN (SELECT key FROM incidents WHERE updated_at <= ?)'),
    purgeIncidents: db.prepare<[number]>('DELETE FROM incidents WHERE updated_at <= ?'),
    purgeEvents: db.prepare<[number]>('DELETE FROM events WHERE expires_at <= ?'),
    insertFeedback: db.prepare<[string, string, number]>('INSERT INTO feedback (key, body, expires_at) VALUES (?, ?, ?)'),
    keyFeedback: db.prepare<[string, number], { body: string }>('SELECT body FROM feedback WHERE key = ? AND expires_at > ? ORDER BY id'),
    allFeedback: db.prepare<[number], { body: string }>('SELECT body FROM feedback WHERE expires_at > ? ORDER BY id'),
    deleteFeedback: db.prepare<[string]>('DELETE FROM feedback WHERE key = ?'),
    purgeFeedback: db.prepare<[number]>('DELETE FROM feedback WHERE expires_at <= ?'),
    getEvent: db.prepare<[string], { expires_at: number }>('SELECT expires_at FROM events WHERE id = ?'),
    putEvent: db.prepare<[string, string, number]>(
      'INSERT INTO events (id, state, expires_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state, expires_at = excluded.expires_at',
    ),
  };

  /** Live state of an incident; an expired one counts as absent even before a purge removed it. */
  const current = (k: string, at: number): IncidentState | undefined => {
    const row = q.getIncident.get(k);
    if (!row || row.updated_at <= at - retentionMs) return undefined;
    return parseState(row.state);
  };

  const save = (k: string, state: IncidentState, at: number): void => {
    q.putIncident.run(k, JSON.stringify({ ...state, updatedAt: new Date(at).toISOString() }), at);
  };

  /** Applies `change` to a live incident atomically; false when there is none. */
  const update = (key: IncidentKey, change: (state: IncidentState) => IncidentState | undefined): boolean =>
    db
      .transaction((): boolean => {
        const k = keyString(key);
        const at = now();
        const state = current(k, at);
        if (!state) return false;
        const next = change(state);
        if (next) save(k, next, at);
        return true;
      })
      .immediate();

  const purge = db.transaction((at: number): number => {
    const cutoff = at - retentionMs;
    q.purgeEvidence.run(cutoff);
    const deleted = q.purgeIncidents.run(cutoff).changes;
    q.purgeEvents.run(at);
    q.purgeFeedback.run(at);
    return deleted;
  });

  let closed = false;
  purge.immediate(now());
  const timer = setInterval(() => {
    try {
      purge.immediate(now());
    } catch (error) {
      options.onError?.(error instanceof Error ? error : new Error(String(error)));
    }
  }, PURGE_EVERY_MS);
  timer.unref();

  return {
    description: `sqlite ${path}`,

    async addEvidence(key, evidence) {
      const body = JSON.stringify(evidenceRecord(evidence));
      return db
        .transaction(() => {
          const k = keyString(key);
          const at = now();
          let state = current(k, at);
          const created = state === undefined;
          if (!state) {
            // Leftovers of an expired incident that no purge reached yet must not leak into the new one.
            q.deleteEvidence.run(k);
            q.deleteIncident.run(k);
            state = newState(key, new Date(at).toISOString());
          }
          const seq = (q.lastSeq.get(k)?.seq ?? 0) + 1;
          q.insertEvidence.run(k, seq, body);
          save(k, state, at);
          return { seq, created };
        })
        .immediate();
    },

    async load(key) {
      // One read transaction, so the state and the evidence come from the same snapshot.
      return db
        .transaction(() => {
          const k = keyString(key);
          const at = now();
          const state = current(k, at);
          if (!state) return undefined;
          const evidence = q.listEvidence.all(k).map((row) => parseEvidence(row.body, row.seq));
          const feedback = q.keyFeedback.all(k, at).map((row) => feedbackOf(parseFeedback(row.body)));
          return { state, evidence, feedback };
        })
        .deferred();
    },

    async recordDiagnosis(key, summary) {
      let previous: DiagnosisSummary | undefined;
      let won = false;
      update(key, (state) => {
        previous = state.diagnosis;
        if (previous && previous.basedOn >= summary.basedOn) return undefined;
        won = true;
        const changed = !previous || previous.cause !== summary.cause || previous.team !== summary.team;
        const timeline = changed
          ? appendTimeline(state.timeline, { at: summary.at, what: 'diagnosis', cause: summary.cause, team: summary.team, basedOn: summary.basedOn })
          : state.timeline;
        return { ...state, diagnosis: summary, timeline };
      });
      if (!won) return { won: false };
      return previous ? { won: true, previous } : { won: true };
    },

    async setFirstReply(key, ref) {
      let won = false;
      update(key, (state) => {
        if (state.firstReplyRef !== undefined) return undefined;
        won = true;
        return { ...state, firstReplyRef: ref };
      });
      return won;
    },

    async setStatus(key, status, by, at) {
      return update(key, (state) => {
        // Resolving a resolved incident is not news for the timeline.
        if (state.status === status) return undefined;
        const what = status === 'resolved' ? 'resolved' : 'reopened';
        return { ...state, status, timeline: appendTimeline(state.timeline, { at, what, by }) };
      });
    },

    async forget(key) {
      return db
        .transaction(() => {
          const k = keyString(key);
          const deleted = q.deleteEvidence.run(k).changes;
          q.deleteIncident.run(k);
          q.deleteFeedback.run(k);
          return deleted;
        })
        .immediate();
    },

    async addFeedback(key, feedback) {
      q.insertFeedback.run(keyString(key), JSON.stringify(feedbackRecord(key, feedback)), now() + retentionMs);
    },

    async listFeedback() {
      return q.allFeedback.all(now()).map((row) => parseFeedback(row.body));
    },

    async claimEvent(eventId, leaseMs) {
      return db
        .transaction(() => {
          const at = now();
          const row = q.getEvent.get(eventId);
          if (row && row.expires_at > at) return false;
          q.putEvent.run(eventId, 'claimed', at + leaseMs);
          return true;
        })
        .immediate();
    },

    async completeEvent(eventId, keepMs) {
      q.putEvent.run(eventId, 'done', now() + keepMs);
    },

    async purgeExpired() {
      return purge.immediate(now());
    },

    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      db.close();
    },
  };
}
