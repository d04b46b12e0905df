import type { Request } from 'express';

// What an unauthenticated request to /slack/events may cost before its signature is checked. The
// signature covers the body, so the body must be read first; everything that can be decided
// without it is decided before a byte of it is read: a declared length over the cap (413), a
// missing or malformed signature or a timestamp outside Slack's five minutes (401), and too many
// unverified bodies being read at once (503, Slack retries). A body without a declared length is
// read up to the cap and cut there. Memory for unverified bodies is thus at most
// maxInFlight x maxBodyBytes, whatever arrives.

/** Slack refuses requests whose timestamp is more than five minutes off; so do we, before reading. */
const MAX_CLOCK_SKEW_S = 5 * 60;
const SIGNATURE = /^v0=[0-9a-f]{64}$/;

export interface BodyGateLimits {
  /** slack.maxBodyBytes: the largest body read. */
  readonly maxBodyBytes: number;
  /** slack.maxUnverifiedBodies: bodies read at once before their signature is checked. */
  readonly maxInFlight: number;
}

export type GateOutcome =
  | { readonly ok: true; readonly body: string }
  | { readonly ok: false; readonly status: 400 | 401 | 413 | 503; readonly limit?: string; readonly reason: string };

export class BodyGate {
  private inFlight = 0;
  /** The most bodies ever read at once (tests and the bench check the bound). */
  peak = 0;

  constructor(
    private readonly limits: BodyGateLimits,
    private readonly now: () => number = Date.now,
  ) {}

  get reading(): number {
    return this.inFlight;
  }

  /** Checks the headers, takes a slot and reads the body within the cap; never more than that. */
  async read(req: Request): Promise<GateOutcome> {
    const refused = this.checkHeaders(req);
    if (refused) return refused;
    if (this.inFlight >= this.limits.maxInFlight) {
      return { ok: false, status: 503, limit: 'slack.maxUnverifiedBodies', reason: `${this.inFlight} unverified request bodies are being read already (slack.maxUnverifiedBodies ${this.limits.maxInFlight})` };
    }
    this.inFlight += 1;
    this.peak = Math.max(this.peak, this.inFlight);
    try {
      return await readCapped(req, this.limits.maxBodyBytes);
    } finally {
      this.inFlight -= 1;
    }
  }

  private checkHeaders(req: Request): Extract<GateOutcome, { ok: false }> | undefined {
    const declared = req.get('content-length');
    if (declared !== undefined && (!/^\d{1,15}$/.test(declared) || Number(declared) > this.limits.maxBodyBytes)) {
      return { ok: false, status: 413, limit: 'slack.maxBodyBytes', reason: `declared length ${declared.slice(0, 20)} is over slack.maxBodyBytes (${this.limits.maxBodyBytes})` };
    }
    const signature = req.get('x-slack-signature');
    const timestamp = req.get('x-slack-request-timestamp');
    if (!signature || !SIGNATURE.test(signature)) return { ok: false, status: 401, reason: 'missing or malformed signature' };
    if (!timestamp || !/^\d{1,12}$/.test(timestamp) || Math.abs(this.now() / 1000 - Number(timestamp)) > MAX_CLOCK_SKEW_S) {
      return { ok: false, status: 401, reason: 'missing, malformed or stale signature timestamp' };
    }
    return undefined;
  }
}

/** The body as text, or 413 once more than `limit` bytes came (the rest is not kept). */
function readCapped(req: Request, limit: number): Promise<GateOutcome> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (outcome: GateOutcome): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      resolve(outcome);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        req.pause();
        done({ ok: false, status: 413, limit: 'slack.maxBodyBytes', reason: `body without a declared length passed slack.maxBodyBytes (${limit}): cut` });
      } else chunks.push(chunk);
    };
    const onEnd = (): void => done({ ok: true, body: Buffer.concat(chunks, size).toString('utf8') });
    const onError = (): void => done({ ok: false, status: 400, reason: 'the request broke off' });
    const onClose = (): void => done({ ok: false, status: 400, reason: 'the request broke off' });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
