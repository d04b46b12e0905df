// Work that continues after the HTTP request was answered. Tasks of one reply chain run in
// arrival order (a file still downloading must not let a later paste overtake it); chains run
// side by side. idle() is what a graceful stop waits for.

export class WorkQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly onError: (error: unknown) => void) {}

  run(key: string | undefined, task: () => Promise<void>): void {
    const previous = (key ? this.tails.get(key) : undefined) ?? Promise.resolve();
    const next = previous.then(task).catch(this.onError);
    if (key) this.tails.set(key, next);
    this.running.add(next);
    void next.finally(() => {
      this.running.delete(next);
      if (key && this.tails.get(key) === next) this.tails.delete(key);
    });
  }

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
