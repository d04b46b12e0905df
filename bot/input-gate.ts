// At most input.maxConcurrentInputs messages have their evidence read and diagnosed at once; the
// others wait their turn in arrival order. Each input's memory is bounded (docs/limits.md), so the
// bot's peak is the process's own plus this many times that bound, however many arrive together.

export class InputGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  /** The most inputs ever in work at once (tests and the bench check the bound). */
  peak = 0;

  constructor(private readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new Error(`bad input concurrency ${max}`);
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    this.peak = Math.max(this.peak, this.active);
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next in line, so a newcomer cannot overtake it.
      if (next) next();
      else this.active -= 1;
    }
  }
}
