import { createHmac, randomBytes } from 'node:crypto';

// Requests as Slack sends them to /slack/events: v0 signature = HMAC-SHA256(secret, "v0:ts:body").

export const SIGNING_SECRET = 'test-signing-secret';

export function sign(body: string, secret = SIGNING_SECRET, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature };
}

export interface SentRequest {
  readonly status: number;
  readonly body: string;
  /** Milliseconds from sending to the full answer. */
  readonly ms: number;
}

async function post(url: string, body: string, contentType: string, headers: Record<string, string>): Promise<SentRequest> {
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body });
  const text = await response.text();
  return { status: response.status, body: text, ms: performance.now() - started };
}

export function newEventId(): string {
  return `Ev${randomBytes(5).toString('hex').toUpperCase()}`;
}

/** An Events API envelope around `event`. */
export function eventEnvelope(event: Record<string, unknown>, eventId = newEventId()): Record<string, unknown> {
  return {
    token: 'legacy-verification-token',
    team_id: 'T1',
    api_app_id: 'A1',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: 'T1', user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
    event: { event_ts: event.ts, ...event },
  };
}

export interface SendOptions {
  readonly secret?: string;
  readonly headers?: Record<string, string>;
}

export function sendEvent(url: string, envelope: Record<string, unknown>, options: SendOptions = {}): Promise<SentRequest> {
  const body = JSON.stringify(envelope);
  return post(url, body, 'application/json', { ...sign(body, options.secret), ...options.headers });
}

export function sendCommand(url: string, fields: Record<string, string>, options: SendOptions = {}): Promise<SentRequest> {
  const body = new URLSearchParams({ token: 'legacy', team_id: 'T1', team_domain: 'fake', command: '/tls', trigger_id: 'trig.1', api_app_id: 'A1', ...fields }).toString();
  return post(url, body, 'application/x-www-form-urlencoded', { ...sign(body, options.secret), ...options.headers });
}

let tsCounter = 1_700_000_000_000;
/** A fresh Slack message ts ("seconds.micro"). */
export function newTs(): string {
  tsCounter += 1;
  return `${Math.floor(tsCounter / 1000)}.${String(tsCounter % 1000).padStart(3, '0')}200`;
}
