import type { Feedback, FeedbackRecord, IncidentKey, IncidentState, NewEvidence, StoredEvidence, TimelineEntry } from './types.js';

// What both backends agree on: how an incident key becomes one string, the record shape of
// evidence, and how stored state is read back.

/** Oldest timeline entries are dropped past this, so a long-lived thread cannot grow without bound. */
export const TIMELINE_LIMIT = 200;

/**
 * One string per thread. Each part is percent-encoded before joining because Teams ids contain
 * ':' and ';', and a raw '/' in a channel must not collide with the separator.
 */
export function keyString(key: IncidentKey): string {
  return [key.platform, key.channel, key.thread].map(encodeURIComponent).join('/');
}

/**
 * The evidence fields the store keeps, in a fixed order. Copying field by field keeps whatever
 * else a caller's object carries out of the store, and leaves absent optional fields absent.
 */
export function evidenceRecord(e: NewEvidence): NewEvidence {
  const record: { -readonly [K in keyof NewEvidence]: NewEvidence[K] } = {
    kind: e.kind,
    user: e.user,
    at: e.at,
    bytes: e.bytes,
    gathered: [...e.gathered],
  };
  if (e.name !== undefined) record.name = e.name;
  if (e.text !== undefined) record.text = e.text;
  if (e.base64 !== undefined) record.base64 = e.base64;
  if (e.textGzip !== undefined) record.textGzip = e.textGzip;
  if (e.binaryGzip !== undefined) record.binaryGzip = e.binaryGzip;
  if (e.sha256 !== undefined) record.sha256 = e.sha256;
  if (e.observation !== undefined) record.observation = e.observation;
  if (e.certificates !== undefined) record.certificates = e.certificates;
  if (e.domainExport !== undefined) record.domainExport = e.domainExport;
  if (e.capture !== undefined) record.capture = e.capture;
  if (e.listen !== undefined) record.listen = e.listen;
  if (e.eventId !== undefined) record.eventId = e.eventId;
  return record;
}

/** A verdict as stored: its fields in a fixed order, with the thread it belongs to. */
export function feedbackRecord(key: IncidentKey, f: Feedback): FeedbackRecord {
  return {
    key: { platform: key.platform, channel: key.channel, thread: key.thread },
    user: f.user,
    at: f.at,
    verdict: f.verdict,
    cause: f.cause,
    ...(f.comment !== undefined ? { comment: f.comment } : {}),
  };
}

export function parseFeedback(json: string): FeedbackRecord {
  return JSON.parse(json) as FeedbackRecord;
}

/** The verdict without its thread (what an incident's own list holds). */
export function feedbackOf(record: FeedbackRecord): Feedback {
  const { key: _key, ...feedback } = record;
  return feedback;
}

export function parseEvidence(json: string, seq?: number): StoredEvidence {
  const parsed = JSON.parse(json) as StoredEvidence;
  return seq === undefined ? parsed : { ...parsed, seq };
}

export function newState(key: IncidentKey, at: string): IncidentState {
  return { key: { platform: key.platform, channel: key.channel, thread: key.thread }, createdAt: at, updatedAt: at, status: 'open', timeline: [] };
}

/**
 * Reads stored state defensively: Redis' Lua cjson writes an empty array as `{}`, so a timeline
 * that went through a script with no entries comes back as an object.
 */
export function parseState(json: string): IncidentState {
  const raw = JSON.parse(json) as IncidentState & { timeline?: unknown };
  const timeline = Array.isArray(raw.timeline) ? (raw.timeline as TimelineEntry[]) : [];
  return { ...raw, timeline };
}

export function appendTimeline(timeline: readonly TimelineEntry[], entry: TimelineEntry): TimelineEntry[] {
  const next = [...timeline, entry];
  return next.length > TIMELINE_LIMIT ? next.slice(next.length - TIMELINE_LIMIT) : next;
}

/** The URL with its password (and a password query parameter) replaced, for messages and logs. */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    if (parsed.searchParams.has('password')) parsed.searchParams.set('password', '***');
    return parsed.toString();
  } catch {
    // Not a URL we can parse: hide anything that looks like credentials rather than echo it.
    return url.replace(/\/\/[^@/]*@/, '//***@').replace(/(password=)[^&]*/i, '$1***');
  }
}
