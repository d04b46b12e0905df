// Abuse limits for /tls probe: who may probe, how often, and how many at once.
//
// Suggested order in the command handler: checkAccess -> rate limit -> policy ->
// concurrency. The rate limit counts attempts (including ones the policy then
// refuses), so the policy's refusals cannot be used as a free scanning oracle.

export interface AccessLists {
  /** Absent = any channel; [] = no channel (probing disabled). */
  channels?: string[];
  /** Absent = any user; [] = no user (probing disabled). */
  users?: string[];
}

export interface ProbeRequester {
  user?: string;
  channel?: string;
}

export type AccessResult =
  | { ok: true }
  | { ok: false; reason: 'channel-not-allowed' | 'user-not-allowed'; limit: 'channels' | 'users'; message: string };

export type RateResult =
  | { ok: true; remaining: number }
  | { ok: false; reason: 'rate-limited'; limit: 'perUserPerMinute'; retryAfterMs: number; message: string };

export type SlotResult =
  | { ok: true; release: () => void }
  | { ok: false; reason: 'busy'; limit: 'maxConcurrent'; message: string };

/**
 * Channel/user allow lists. IDs are compared exactly (Slack/Teams ids are
 * case-sensitive opaque strings). A missing channel/user never passes a list.
 */
export function checkAccess(lists: AccessLists, who: ProbeRequester): AccessResult {
  if (lists.channels !== undefined && (who.channel === undefined || !lists.channels.includes(who.channel))) {
    return {
      ok: false,
      reason: 'channel-not-allowed',
      limit: 'channels',
      message:
        lists.channels.length === 0
          ? 'probes are disabled: the probe channels list is empty'
          : `probes are not allowed in this channel (not in the probe channels list)`,
    };
  }
  if (lists.users !== undefined && (who.user === undefined || !lists.users.includes(who.user))) {
    return {
      ok: false,
      reason: 'user-not-allowed',
      limit: 'users',
      message:
        lists.users.length === 0
          ? 'probes are disabled: the probe users list is empty'
          : `you are not allowed to run probes (not in the probe users list)`,
    };
  }
  return { ok: true };
}

export interface RateLimiterOptions {
  limit: number;
  windowMs?: number;
  /** Clock in ms; injectable for tests. */
  now?: () => number;
}

/**
 * Per-key sliding-window limiter: at most `limit` attempts in any `windowMs` span.
 * check() consumes an attempt when it succeeds; refused attempts are not recorded,
 * so a user hammering the command is not locked out for longer than the window.
 */
export class SlidingWindowRateLimiter {
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly hits = new Map<string, number[]>();

  constructor(options: RateLimiterOptions) {
    this.limit = options.limit;
    this.windowMs = options.windowMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  check(key: string): RateResult {
    const now = this.now();
    const cutoff = now - this.windowMs;
    const recent = (this.hits.get(key) ?? []).filter((t) => t > cutoff);
    if (recent.length >= this.limit) {
      this.hits.set(key, recent);
      const oldest = recent[0] ?? now;
      const retryAfterMs = Math.max(0, oldest + this.windowMs - now);
      return {
        ok: false,
        reason: 'rate-limited',
        limit: 'perUserPerMinute',
        retryAfterMs,
        message:
          `rate limit reached: at most ${this.limit} probes per ${Math.round(this.windowMs / 1000)} s ` +
          `per user (perUserPerMinute); try again in ${Math.ceil(retryAfterMs / 1000)} s`,
      };
    }
    recent.push(now);
    this.hits.set(key, recent);
    this.sweepIfLarge(cutoff);
    return { ok: true, remaining: this.limit - recent.length };
  }

  /** Keep memory bounded when many distinct users probe once and leave. */
  private sweepIfLarge(cutoff: number): void {
    if (this.hits.size < 1000) return;
    for (const [key, times] of this.hits) {
      if (times.every((t) => t <= cutoff)) this.hits.delete(key);
    }
  }
}

/**
 * Global cap on simultaneous probes. When full it refuses immediately instead of
 * queueing: a chat command that silently waits behind several 10 s probes looks
 * hung, users retry, and the queue amplifies exactly the load the cap exists to
 * stop. "busy, try again" is honest and cheap.
 */
export class ConcurrencyLimiter {
  private active = 0;

  constructor(private readonly max: number) {}

  get inUse(): number {
    return this.active;
  }

  tryAcquire(): SlotResult {
    if (this.active >= this.max) {
      return {
        ok: false,
        reason: 'busy',
        limit: 'maxConcurrent',
        message: `busy: ${this.active} probes already running (maxConcurrent ${this.max}); try again in a few seconds`,
      };
    }
    this.active++;
    let released = false;
    // Idempotent: a double release (e.g. finally + error handler) must not free a slot twice.
    const release = (): void => {
      if (released) return;
      released = true;
      this.active--;
    };
    return { ok: true, release };
  }

  /** Run fn inside a slot, always releasing it. */
  async run<T>(fn: () => Promise<T>): Promise<{ ok: true; value: T } | Extract<SlotResult, { ok: false }>> {
    const slot = this.tryAcquire();
    if (!slot.ok) return slot;
    try {
      return { ok: true, value: await fn() };
    } finally {
      slot.release();
    }
  }
}

export interface ProbeLimitsConfig extends AccessLists {
  maxConcurrent: number;
  perUserPerMinute: number;
}

/** The three limits bundled from the probe config section. */
export class ProbeLimits {
  readonly rate: SlidingWindowRateLimiter;
  readonly concurrency: ConcurrencyLimiter;

  constructor(
    private readonly config: ProbeLimitsConfig,
    options: { now?: () => number } = {},
  ) {
    const rateOptions: RateLimiterOptions = { limit: config.perUserPerMinute, windowMs: 60_000 };
    if (options.now) rateOptions.now = options.now;
    this.rate = new SlidingWindowRateLimiter(rateOptions);
    this.concurrency = new ConcurrencyLimiter(config.maxConcurrent);
  }

  canProbe(who: ProbeRequester): AccessResult {
    const lists: AccessLists = {};
    if (this.config.channels !== undefined) lists.channels = this.config.channels;
    if (this.config.users !== undefined) lists.users = this.config.users;
    return checkAccess(lists, who);
  }

  /** Users without an id (e.g. the terminal adapter) share one bucket. */
  checkRate(user: string | undefined): RateResult {
    return this.rate.check(user ?? '(anonymous)');
  }

  tryAcquire(): SlotResult {
    return this.concurrency.tryAcquire();
  }
}
