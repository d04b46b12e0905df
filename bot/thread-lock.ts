// Messages of one thread are handled one after another inside a process, so two pastes arriving at
// once cannot both announce the same diagnosis change. Across processes the store's compare-and-set
// on the diagnosis keeps the same promise.

export class ThreadLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await result;
    } finally {
      // Drop the entry once nothing is queued behind us, so idle threads cost no memory.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
