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

/** An interaction (a button click) as Slack posts it to the request URL: form-encoded, one `payload` field. */
export function sendAction(url: string, payload: Record<string, unknown>, options: SendOptions = {}): Promise<SentRequest> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return post(url, body, 'application/x-www-form-urlencoded', { ...sign(body, options.secret), ...options.headers });
}

/** A block_actions payload: `user` clicked `actionId` on the bot's message `messageTs` in thread `threadTs`. */
export function blockAction(options: { user: string; channel: string; messageTs: string; threadTs?: string; actionId: string; value?: string; responseUrl?: string }): Record<string, unknown> {
  const thread = options.threadTs ? { thread_ts: options.threadTs } : {};
  return {
    type: 'block_actions',
    user: { id: options.user, username: options.user.toLowerCase(), name: options.user.toLowerCase(), team_id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: options.messageTs, channel_id: options.channel, is_ephemeral: false, ...thread },
    trigger_id: `${Date.now()}.1.abc`,
    team: { id: 'T1', domain: 'fake' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: options.channel, name: 'oncall' },
    message: { type: 'message', user: 'UBOT', bot_id: 'BBOT', ts: options.messageTs, text: 'diagnosis', ...thread },
    state: { values: {} },
    response_url: options.responseUrl ?? 'https://hooks.slack.test/actions/T1/1/x',
    actions: [{ action_id: options.actionId, block_id: 'b1', text: { type: 'plain_text', text: options.actionId, emoji: true }, ...(options.value !== undefined ? { value: options.value } : {}), type: 'button', action_ts: `${Date.now() / 1000}` }],
  };
}

let tsCounter = 1_700_000_000_000;
/** A fresh Slack message ts ("seconds.micro"). */
export function newTs(): string {
  tsCounter += 1;
  return `${Math.floor(tsCounter / 1000)}.${String(tsCounter % 1000).padStart(3, '0')}200`;
}
