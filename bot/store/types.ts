import type { CaptureObservation, CertificateObservation, ExportObservation, ListenObservation, ProbeObservation } from '../../rules/index.js';

// One interface for incident storage, implemented by an embedded SQLite file (the default, no
// set-up) and by Redis (several bot instances sharing incidents). Every method is atomic on its
// own: two messages arriving at once in one thread both land, and a diagnosis never goes back to
// one computed on less evidence.

/** Which conversation thread an incident belongs to. */
export interface IncidentKey {
  readonly platform: string;
  readonly channel: string;
  readonly thread: string;
}

export type EvidenceKind = 'paste' | 'file' | 'probe' | 'listen';

/** MustGather item ids (rules/catalog/mustgather.json). */
export type GatheredItem = string;

/** One piece of evidence as the bot hands it to the store (before it has a sequence number). */
export interface NewEvidence {
  readonly kind: EvidenceKind;
  readonly user: string;
  /** ISO-8601 time the bot received it. */
  readonly at: string;
  /** File name, or the probe target. */
  readonly name?: string;
  /** Paste or text-file content, private keys already removed. */
  readonly text?: string;
  /** Base64 of a binary upload (packet capture, DER certificate, export zip). */
  readonly base64?: string;
  /** `text`, gzipped and in base64: how a long text is stored (bot/evidence-pack.ts). */
  readonly textGzip?: string;
  /** The binary upload, gzipped and in base64: how a large one is stored instead of `base64`. */
  readonly binaryGzip?: string;
  /** A probe's observation, re-diagnosed with the current rules on every recompute. */
  readonly observation?: ProbeObservation;
  /** Certificates read from this paste or file (checked when received), re-diagnosed with the current rules on every recompute. */
  readonly certificates?: CertificateObservation;
  /** A DataPower domain export read from this paste or file, re-diagnosed with the current rules on every recompute. */
  readonly domainExport?: ExportObservation;
  /** A packet capture's connections as read when it arrived (bot/capture), re-diagnosed with the current rules on every recompute. */
  readonly capture?: CaptureObservation;
  /** What a chat listener saw of clients (bot/listen), re-diagnosed with the current rules on every recompute. */
  readonly listen?: ListenObservation;
  /** SHA-256 (hex) of a binary upload, to name it in a ticket. */
  readonly sha256?: string;
  /** Size in bytes of what was received. */
  readonly bytes: number;
  /** MustGather items this evidence provides. */
  readonly gathered: readonly GatheredItem[];
  /** The chat event it came from, when the platform gives one. */
  readonly eventId?: string;
}

export interface StoredEvidence extends NewEvidence {
  /** 1, 2, 3... in arrival order within the incident. */
  readonly seq: number;
}

/** What the store remembers of a diagnosis: enough to say what changed and to draw a timeline. */
export interface DiagnosisSummary {
  readonly cause: string;
  readonly team: string;
  readonly title: string;
  readonly redHerringOnly: boolean;
  /** Highest evidence seq the diagnosis was computed on. */
  readonly basedOn: number;
  readonly at: string;
  readonly owner?: string;
}

export type TimelineEntry =
  | { readonly at: string; readonly what: 'diagnosis'; readonly cause: string; readonly team: string; readonly basedOn: number }
  | { readonly at: string; readonly what: 'resolved' | 'reopened'; readonly by: string };

export interface IncidentState {
  readonly key: IncidentKey;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly status: 'open' | 'resolved';
  readonly diagnosis?: DiagnosisSummary;
  /** Platform id of the bot's first diagnosis reply in the thread (edited as the diagnosis changes). */
  readonly firstReplyRef?: string;
  /** Diagnosis changes and status changes, oldest first (bounded). */
  readonly timeline: readonly TimelineEntry[];
}

/** A verdict someone gave on a diagnosis in a thread ("Right cause" / "Wrong cause", `feedback wrong ...`). */
export interface Feedback {
  readonly user: string;
  /** ISO-8601 time it was given. */
  readonly at: string;
  readonly verdict: 'right' | 'wrong';
  /** The cause id the verdict is about. */
  readonly cause: string;
  readonly comment?: string;
}

/** Feedback with the thread it was given in, as `feedback export` lists it. */
export interface FeedbackRecord extends Feedback {
  readonly key: IncidentKey;
}

export interface Incident {
  readonly state: IncidentState;
  /** Ordered by seq. */
  readonly evidence: readonly StoredEvidence[];
  /** Verdicts given in the thread, oldest first. */
  readonly feedback: readonly Feedback[];
}

export interface IncidentStore {
  /** Which backend this is, for the start-up log line ("sqlite ./data/tls-triage.db", "redis"). */
  readonly description: string;
  /** Appends evidence, creating the incident when needed; refreshes the incident's expiry. */
  addEvidence(key: IncidentKey, evidence: NewEvidence): Promise<{ seq: number; created: boolean }>;
  /** The incident, or undefined when there is none (never created, forgotten or expired). */
  load(key: IncidentKey): Promise<Incident | undefined>;
  /**
   * Makes `summary` the current diagnosis only if it was computed on more evidence than the stored
   * one (summary.basedOn > stored basedOn); appends it to the timeline when the cause or team
   * changed. Returns the diagnosis it replaced (undefined for the first) when it won, or
   * { won: false } when a newer one was already stored (another message or instance was faster).
   */
  recordDiagnosis(key: IncidentKey, summary: DiagnosisSummary): Promise<{ won: true; previous?: DiagnosisSummary } | { won: false }>;
  /** Remembers the first reply's platform id; only the first call per incident wins (returns true). */
  setFirstReply(key: IncidentKey, ref: string): Promise<boolean>;
  /** Resolves or reopens; appends to the timeline. Returns false when there is no incident. */
  setStatus(key: IncidentKey, status: 'open' | 'resolved', by: string, at: string): Promise<boolean>;
  /**
   * Keeps a verdict on the thread's diagnosis. It is kept by thread, with the incident when there
   * is one (a reply outside any incident can be judged too), for the retention time after it was
   * given; `forget` deletes it with the incident.
   */
  addFeedback(key: IncidentKey, feedback: Feedback): Promise<void>;
  /** Every verdict still kept, oldest first (for rule authors: `tls-triage feedback export`). */
  listFeedback(): Promise<FeedbackRecord[]>;
  /** Deletes everything stored for the incident. Returns how many evidence items were deleted (0 when none). */
  forget(key: IncidentKey): Promise<number>;
  /**
   * Claims a chat event id so a redelivered event is answered once, across restarts and
   * instances. Returns false when the event was already claimed (done, or still being handled
   * within its lease).
   */
  claimEvent(eventId: string, leaseMs: number): Promise<boolean>;
  /** Marks a claimed event as answered; remembered for `keepMs`. */
  completeEvent(eventId: string, keepMs: number): Promise<void>;
  /** Deletes incidents past their retention and forgotten event ids. Returns incidents deleted. */
  purgeExpired(): Promise<number>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** Incidents expire this long after their last activity. */
  readonly retentionMs: number;
  /** Clock, for tests of expiry; defaults to Date.now. */
  readonly now?: () => number;
  /** Redis key prefix; defaults to "tls-triage:". Tests give each case its own. */
  readonly keyPrefix?: string;
  /**
   * Errors the store meets outside any call (a background purge, a lost Redis connection while
   * it reconnects), for the log. Calls still reject with their own errors.
   */
  readonly onError?: (error: Error) => void;
}
