import type { Logger } from 'pino';
import { isCauseId, type Diagnoser } from '../rules/index.js';
import type { Config } from './config.js';
import { packEvidence, textBytes, unpackIncident } from './evidence-pack.js';
import { nextTurn } from './pause.js';
import { changed, diagnoseIncident, noteFor, sharpenedByExport, summarize } from './incident-diagnosis.js';
import { presentDiagnosis } from './present.js';
import type { IncidentKey, IncidentStore, NewEvidence, StoredEvidence } from './store/types.js';
import type { Verdict } from './intent.js';
import type { EvidenceEntry, IncidentReport, Reply, ReplyChannel } from './types.js';

// A thread is an incident. Evidence is appended, the diagnosis is recomputed over all of it, and
// the thread hears about it: the first diagnosis as a reply (later edited to stay current), a
// change as a follow-up that says what changed and why, anything else as a short note.

export interface IncidentDeps {
  readonly diagnoser: Diagnoser;
  readonly config: Config;
  readonly store: IncidentStore;
  readonly logger: Logger;
}

export interface Incidents {
  /**
   * Adds evidence and answers in the thread. `beforeRecompute` runs after the evidence is stored,
   * told whether this started the incident (a probe posts its own result only into an existing one).
   */
  addEvidence(key: IncidentKey, records: readonly NewEvidence[], user: string, out: ReplyChannel, beforeRecompute?: (created: boolean) => Promise<void>): Promise<void>;
  report(key: IncidentKey, view: 'status' | 'summary'): Promise<Reply>;
  /** The whole current diagnosis ("Details"), where the first reply shows it chat-sized. */
  details(key: IncidentKey): Promise<Reply>;
  /** Keeps a verdict on the cause a reply showed (`clickedCause`), else on the incident's current one. */
  feedback(key: IncidentKey, user: string, verdict: Verdict, comment?: string, clickedCause?: string): Promise<Reply>;
  resolve(key: IncidentKey, user: string): Promise<Reply>;
  forget(key: IncidentKey): Promise<Reply>;
  exists(key: IncidentKey): Promise<boolean>;
}

export function createIncidents(deps: IncidentDeps): Incidents {
  const { diagnoser, config, store } = deps;
  const now = (): string => new Date().toISOString();

  /**
   * Every message re-diagnoses all of an incident's text, so an incident holds at most
   * input.maxIncidentTextBytes of it: text past that is refused with a message naming the limit.
   */
  async function withinTextLimit(key: IncidentKey, records: readonly NewEvidence[], out: ReplyChannel): Promise<NewEvidence[]> {
    if (!records.some((r) => r.text !== undefined)) return [...records];
    const limit = config.input.maxIncidentTextBytes;
    const held = textBytes(await store.load(key));
    let room = limit - held;
    const kept = records.filter((r) => {
      if (r.text === undefined || r.bytes <= room) {
        if (r.text !== undefined) room -= r.bytes;
        return true;
      }
      return false;
    });
    if (kept.length < records.length) {
      await out.post({
        kind: 'error',
        code: 'INPUT_TOO_LARGE',
        text: `This incident already holds ${held} bytes of log text, and the limit is ${limit} (input.maxIncidentTextBytes): what was just sent is not added. Start a new thread for new evidence, or use the CLI (tls-triage diagnose FILE).`,
      });
    }
    return kept;
  }

  return {
    async addEvidence(key, given, user, out, beforeRecompute) {
      const records = await withinTextLimit(key, given, out);
      if (records.length === 0) return;
      let created = false;
      for (const record of records) created = (await store.addEvidence(key, await packEvidence(record))).created || created;
      await beforeRecompute?.(created);
      const incident = await unpackIncident(await store.load(key));
      if (!incident) throw new Error('incident vanished right after evidence was added (forgotten meanwhile?)');
      await nextTurn();
      let reopened = false;
      if (incident.state.status === 'resolved') reopened = await store.setStatus(key, 'open', user, now());
      const result = await diagnoseIncident(diagnoser, incident);
      const summary = summarize(result.diagnosis, result.basedOn, now());
      const note = noteFor(result, incident.evidence.length, reopened);
      const shown = presentDiagnosis(result.diagnosis, config);
      const recorded = await store.recordDiagnosis(key, summary);
      deps.logger.info({ incident: key, evidence: incident.evidence.length, cause: summary.cause, won: recorded.won }, 'incident diagnosis');
      const added = describeAdded(records);

      if (recorded.won && !recorded.previous) {
        const ref = await out.post({ kind: 'diagnosis', ...shown, incident: note });
        if (ref) await store.setFirstReply(key, ref);
        return;
      }
      if (recorded.won && recorded.previous && changed(recorded.previous, summary)) {
        const because = result.diagnosis.keyLine ?? result.diagnosis.evidence[0];
        await out.post({ kind: 'change', was: recorded.previous, ...shown, ...(because ? { because } : {}), incident: note });
        const ref = incident.state.firstReplyRef;
        if (ref && out.update) await out.update(ref, { kind: 'diagnosis', ...shown, incident: note });
        return;
      }
      // A DataPower export changes what to do (the exact setting), not the cause: show the steps again.
      if (recorded.won && sharpenedByExport(records, result.diagnosis)) {
        await out.post({ kind: 'diagnosis', ...shown, incident: note });
        const ref = incident.state.firstReplyRef;
        if (ref && out.update) await out.update(ref, { kind: 'diagnosis', ...shown, incident: note });
        return;
      }
      // Unchanged, or another message / instance recorded a diagnosis on more evidence meanwhile.
      const current = recorded.won ? summary : ((await store.load(key))?.state.diagnosis ?? summary);
      await out.post({ kind: 'noted', current, added, incident: note });
    },

    async report(key, view) {
      const incident = await unpackIncident(await store.load(key));
      if (!incident) return noIncident();
      const result = await diagnoseIncident(diagnoser, incident);
      const shown = presentDiagnosis(result.diagnosis, config);
      const report: IncidentReport = {
        key,
        status: incident.state.status,
        createdAt: incident.state.createdAt,
        updatedAt: incident.state.updatedAt,
        diagnosis: shown.diagnosis,
        ...(shown.route ? { route: shown.route } : {}),
        evidence: incident.evidence.map(toEntry),
        checklist: result.checklist,
        timeline: incident.state.timeline,
        feedback: incident.feedback,
      };
      return { kind: 'incident', view, report };
    },

    async details(key) {
      const incident = await store.load(key);
      if (!incident) return noIncident();
      const result = await diagnoseIncident(diagnoser, incident);
      return { kind: 'diagnosis', ...presentDiagnosis(result.diagnosis, config), incident: noteFor(result, incident.evidence.length), full: true };
    },

    async feedback(key, user, verdict, comment, clickedCause) {
      const shown = clickedCause !== undefined && isCauseId(clickedCause) ? clickedCause : undefined;
      const cause = shown ?? (await store.load(key))?.state.diagnosis?.cause;
      if (!cause) return { kind: 'notice', text: 'There is no diagnosis in this thread to give feedback on: paste the log lines, upload a file or probe an endpoint first.' };
      await store.addFeedback(key, { user, at: now(), verdict, cause, ...(comment ? { comment } : {}) });
      deps.logger.info({ incident: key, verdict, cause, comment: comment !== undefined }, 'feedback');
      const said = comment ? ` ("${comment}")` : '';
      const more = verdict === 'wrong' && !comment ? " If you know what it was, say so: 'feedback wrong <what it was>'." : '';
      return { kind: 'notice', text: `Thanks: recorded that ${cause} was the ${verdict} cause${said}.${more} Rule authors read these (tls-triage feedback export).` };
    },

    async resolve(key, user) {
      const done = await store.setStatus(key, 'resolved', user, now());
      if (!done) return noIncident();
      return {
        kind: 'notice',
        text: `Incident resolved by ${user}. Its evidence is kept for ${config.store.retentionDays} days after the last activity; new evidence in this thread reopens it, and 'forget' deletes it now.`,
      };
    },

    async forget(key) {
      const deleted = await store.forget(key);
      if (deleted === 0) return noIncident();
      return { kind: 'notice', text: `Forgot this incident: ${deleted} evidence item(s) and its diagnosis history are deleted from the store.` };
    },

    async exists(key) {
      return (await store.load(key)) !== undefined;
    },
  };
}

function noIncident(): Reply {
  return { kind: 'notice', text: 'There is no incident in this thread: paste log lines, upload a log, certificate or capture, or probe an endpoint to start one.' };
}

function toEntry(e: StoredEvidence): EvidenceEntry {
  return { seq: e.seq, kind: e.kind, user: e.user, at: e.at, ...(e.name ? { name: e.name } : {}), bytes: e.bytes, ...(e.sha256 ? { sha256: e.sha256 } : {}), gathered: e.gathered };
}

function describeAdded(records: readonly NewEvidence[]): string {
  return records.map((r) => (r.kind === 'probe' ? `probe of ${r.name ?? 'an endpoint'}` : r.kind === 'listen' ? (r.name ?? 'what a listener saw') : r.kind === 'file' ? `file ${r.name ?? ''}`.trim() : 'paste')).join(', ');
}
