import type { ChecklistEntry, Diagnosis, EvidenceLine, Role, Warning } from '../rules/index.js';
import type { DiagnosisSummary, EvidenceKind, IncidentKey, TimelineEntry } from './store/types.js';

// The platform-neutral boundary: adapters turn platform events into a Message, hand the bot a
// ReplyChannel for the message's thread, and render each Reply. Nothing here knows Slack, Teams or
// a terminal.

export type Platform = 'console' | 'cli' | 'slack' | 'teams';

/** A file attached to a message (Slack file share, Teams attachment, console `upload PATH`). */
export interface Attachment {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface Message {
  readonly platform: Platform;
  /** Channel / conversation id; the console uses one fixed id. */
  readonly channel: string;
  /** Thread the reply goes to (Slack thread_ts, Teams reply chain); the incident is keyed by it. */
  readonly thread?: string;
  readonly user: string;
  /** Plain text with the platform's markup already removed. */
  readonly text: string;
  /** Spoken to the bot: a mention, a direct message, a slash command, the console. */
  readonly addressed: boolean;
  /** Sent by another bot or integration (alerting bots must not make us answer every alert). */
  readonly fromBot?: boolean;
  /** The platform's id for this delivery; a redelivered event with the same id is not answered again. */
  readonly eventId?: string;
  readonly files?: readonly Attachment[];
  /** A button was clicked on a reply that showed this cause (feedback is about what people saw). */
  readonly clickedCause?: string;
}

/** Where the bot's replies to one message go: the message's thread. */
export interface ReplyChannel {
  /** Posts a reply; returns the platform's id for it when the platform can edit it later. */
  post(reply: Reply): Promise<string | undefined>;
  /** Replaces an earlier reply (the incident's first diagnosis); absent where messages cannot be edited. */
  update?(ref: string, reply: Reply): Promise<void>;
  /**
   * A channel to the same thread for replies after this message is done (a chat listener posts
   * minutes later). Absent where this channel itself stays usable (Slack, the console).
   */
  detach?(): ReplyChannel;
}

/** Who should act, resolved through the routing configuration (e.g. a Slack user group). */
export interface Route {
  readonly role: Role;
  /** What to mention: one target, or for both sides without routing.roles.both the client and the server team. */
  readonly targets: readonly string[];
}

export interface MustGatherAsk {
  readonly id: string;
  readonly title: string;
  readonly how: readonly string[];
}

/** What a reply says about the incident it belongs to. */
export interface IncidentNote {
  readonly evidenceCount: number;
  /** Missing MustGather items, the one most likely to change the diagnosis first. */
  readonly asks: readonly MustGatherAsk[];
  /** The incident had been resolved and this evidence reopened it. */
  readonly reopened?: boolean;
}

export interface EvidenceEntry {
  readonly seq: number;
  readonly kind: EvidenceKind;
  readonly user: string;
  readonly at: string;
  readonly name?: string;
  readonly bytes: number;
  readonly sha256?: string;
  readonly gathered: readonly string[];
}

/** A verdict on a diagnosis, as `status`, `summary` and `feedback export` show it. */
export interface FeedbackEntry {
  readonly user: string;
  readonly at: string;
  readonly verdict: 'right' | 'wrong';
  /** The cause the verdict is about (what the reply showed, else the incident's diagnosis then). */
  readonly cause: string;
  readonly comment?: string;
}

/** Everything `status` and `summary` show. */
export interface IncidentReport {
  readonly key: IncidentKey;
  readonly status: 'open' | 'resolved';
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly diagnosis?: Diagnosis;
  readonly route?: Route;
  readonly evidence: readonly EvidenceEntry[];
  readonly checklist: readonly ChecklistEntry[];
  readonly timeline: readonly TimelineEntry[];
  readonly feedback: readonly FeedbackEntry[];
}

/** What a reply about a diagnosis offers besides its text. */
export interface ReplyOffers {
  /** The endpoint the evidence names, when the probe policy would allow probing it: a "Probe" button. */
  readonly probeTarget?: string;
}

export type Reply =
  /**
   * A diagnosis. Chat shows it chat-sized (cause, who acts, three evidence lines, three next steps,
   * alternatives) with everything else behind "Details"; `full` is the whole of it (the answer to
   * `details`, or a reply that no thread keeps for later).
   */
  | ({ readonly kind: 'diagnosis'; readonly diagnosis: Diagnosis; readonly route?: Route; readonly incident?: IncidentNote; readonly full?: boolean } & ReplyOffers)
  /** New evidence changed the incident's diagnosis: a follow-up that notifies the thread. */
  | ({
      readonly kind: 'change';
      readonly was: DiagnosisSummary;
      readonly diagnosis: Diagnosis;
      readonly route?: Route;
      readonly because?: EvidenceLine;
      readonly incident: IncidentNote;
    } & ReplyOffers)
  /** New evidence joined the incident without changing its diagnosis. */
  | { readonly kind: 'noted'; readonly current: DiagnosisSummary; readonly added: string; readonly incident: IncidentNote }
  | { readonly kind: 'incident'; readonly view: 'status' | 'summary'; readonly report: IncidentReport }
  | { readonly kind: 'warning'; readonly warning: Warning }
  | { readonly kind: 'help'; readonly title: string; readonly lines: readonly string[] }
  | { readonly kind: 'notice'; readonly text: string }
  | { readonly kind: 'error'; readonly code: string; readonly text: string };
