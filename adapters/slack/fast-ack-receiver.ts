import { isValidSlackRequest, type App, type Receiver } from '@slack/bolt';
import type { Express, Request, Response } from 'express';
import type { Logger } from 'pino';
import { BodyGate } from './body-gate.js';

// Bolt's HTTP receiver for /slack/events on the shared Express app, built for one thing: answering
// Slack before doing anything else. Bolt's own ExpressReceiver answers from inside its event
// processing, after authorization, context and middleware, and the listeners' work follows in the
// same turn; under bursts of 200 requests on a 2-core machine that put the p99 answer time at
// 120-220 ms with a bot that did nothing and 250-880 ms with real diagnoses (an Express route
// that only answers: 45-100 ms). See bench/slack/ack-bench.ts for the figures with this receiver.
// Here a request is verified (Bolt's own signature check), answered, and only then handed to
// Bolt's processEvent, which runs the listeners as usual with an ack that has nothing left to do.

export interface FastAckReceiverOptions {
  readonly signingSecret: string;
  /** The shared Express app (host.app); the route is mounted on it. */
  readonly app: Express;
  readonly path: string;
  readonly logger: Logger;
  /** The immediate answer to a slash command: what Slack shows at once (undefined: nothing). */
  readonly commandAck: (body: Record<string, unknown>) => Record<string, unknown> | undefined;
  /** Runs Bolt's processing of a request after its answer has gone out. */
  readonly defer: (work: () => Promise<void>) => void;
  /** Told of every request as it arrives (deferred work waits while requests keep coming). */
  readonly onArrival?: () => void;
  /** slack.maxBodyBytes: largest request body read (Slack's event bodies are far smaller). */
  readonly maxBodyBytes: number;
  /** slack.maxUnverifiedBodies: bodies read at once before their signature is checked; past it 503. */
  readonly maxUnverifiedBodies: number;
}

export class FastAckReceiver implements Receiver {
  private bolt: App | undefined;
  private accepting = true;
  /** Decides what an unverified request may cost before its body is read (body-gate.ts). */
  readonly gate: BodyGate;

  constructor(private readonly options: FastAckReceiverOptions) {
    this.gate = new BodyGate({ maxBodyBytes: options.maxBodyBytes, maxInFlight: options.maxUnverifiedBodies });
    options.app.post(options.path, (req, res) => void this.read(req, res));
  }

  init(app: App): void {
    this.bolt = app;
  }

  /** Nothing to start: the shared HTTP server listens for every adapter. */
  async start(): Promise<void> {
    this.accepting = true;
  }

  /** From now on Slack gets 503 and delivers the request again later. */
  async stop(): Promise<void> {
    this.accepting = false;
  }

  /** The raw body, which the signature covers byte for byte (no body parser may run before this). */
  private async read(req: Request, res: Response): Promise<void> {
    this.options.onArrival?.();
    if (req.readableEnded) {
      // A body parser mounted before this route took the bytes the signature covers.
      this.options.logger.error({ path: this.options.path }, 'the request body was consumed before the Slack adapter; remove the global body parser');
      res.status(500).end();
      return;
    }
    if (!this.accepting || !this.bolt) {
      refuse(res, 503);
      return;
    }
    const outcome = await this.gate.read(req);
    if (!outcome.ok) {
      this.options.logger.warn({ path: this.options.path, status: outcome.status, ...(outcome.limit ? { limit: outcome.limit } : {}), reason: outcome.reason }, 'slack request refused before its signature was checked');
      refuse(res, outcome.status);
      return;
    }
    this.receive(outcome.body, req, res);
  }

  private receive(rawBody: string, req: Request, res: Response): void {
    const { logger } = this.options;
    const bolt = this.bolt;
    if (!this.accepting || !bolt) {
      res.status(503).end();
      return;
    }
    const signature = req.get('x-slack-signature');
    const timestamp = Number(req.get('x-slack-request-timestamp'));
    if (!signature || !isValidSlackRequest({ signingSecret: this.options.signingSecret, body: rawBody, headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp } })) {
      logger.warn({ path: this.options.path }, 'slack request with a missing, stale or wrong signature refused');
      res.status(401).end();
      return;
    }
    const body = parseBody(rawBody, req.get('content-type'));
    if (!body) {
      res.status(400).end();
      return;
    }
    if (body.ssl_check) {
      res.status(200).end();
      return;
    }
    if (body.type === 'url_verification') {
      res.json({ challenge: body.challenge });
      return;
    }
    const answer = typeof body.command === 'string' ? this.options.commandAck(body) : undefined;
    if (answer) res.json(answer);
    else res.status(200).end();

    const retryNum = Number(req.get('x-slack-retry-num'));
    const retryReason = req.get('x-slack-retry-reason');
    this.options.defer(() =>
      bolt.processEvent({
        body,
        // Already answered above; Bolt and the listeners still call it.
        ack: async () => undefined,
        ...(Number.isInteger(retryNum) ? { retryNum } : {}),
        ...(retryReason ? { retryReason } : {}),
      }),
    );
  }
}

/** Answers without reading the rest of the body, and closes the connection after the answer. */
function refuse(res: Response, status: number): void {
  if (res.headersSent || res.destroyed) return;
  res.status(status).set('connection', 'close').end();
}

/** Events come as JSON; commands and interactions form-encoded (interactions in one `payload` field). */
function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> | undefined {
  try {
    if (contentType?.startsWith('application/x-www-form-urlencoded')) {
      const form = Object.fromEntries(new URLSearchParams(raw));
      return typeof form.payload === 'string' ? (JSON.parse(form.payload) as Record<string, unknown>) : form;
    }
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
