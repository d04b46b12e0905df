// Work that runs after Slack has its answer. A diagnosis is a few milliseconds of CPU without a
// real await in it; started in the middle of a burst of requests, such work would hold up the
// answers to every request still waiting to be read (Slack counts those against its 3 seconds and
// redelivers). So jobs start one per event-loop turn, and not while requests are still arriving,
// unless the oldest job has waited too long. Started jobs run concurrently: a slow probe never
// holds up the next message.

/** Quiet time after the last request before queued work starts. */
const QUIET_MS = 2;
/** Under sustained load, work starts anyway once the oldest job has waited this long. */
const MAX_WAIT_MS = 250;

export class Detached {
  private readonly queue: { work: () => Promise<void>; since: number }[] = [];
  private readonly running = new Set<Promise<void>>();
  private pumping = false;
  private lastArrival = 0;

  constructor(private readonly onError: (error: unknown) => void) {}

  /** A request came in: queued work waits until requests stop coming for a moment. */
  arrived(): void {
    this.lastArrival = performance.now();
  }

  run(work: () => Promise<void>): void {
    this.queue.push({ work, since: performance.now() });
    if (!this.pumping) {
      this.pumping = true;
      setImmediate(() => this.pump());
    }
  }

  /** Resolves when every queued and started job has finished. */
  async idle(): Promise<void> {
    while (this.queue.length > 0 || this.running.size > 0 || this.pumping) {
      if (this.running.size > 0) await Promise.allSettled([...this.running]);
      else await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    }
  }

  private pump(): void {
    const next = this.queue[0];
    if (!next) {
      this.pumping = false;
      return;
    }
    const now = performance.now();
    if (now - this.lastArrival < QUIET_MS && now - next.since < MAX_WAIT_MS) {
      setTimeout(() => this.pump(), QUIET_MS);
      return;
    }
    this.queue.shift();
    const job: Promise<void> = Promise.resolve()
      .then(next.work)
      .catch(this.onError)
      .finally(() => this.running.delete(job));
    this.running.add(job);
    // The next job waits for the next turn, after pending I/O (other requests) has had its go.
    setImmediate(() => this.pump());
  }
}
