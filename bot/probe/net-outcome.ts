// Classifies socket errors into the closed set of outcomes the report uses, and time budgeting.

export type TcpOutcome = 'connected' | 'refused' | 'timeout' | 'reset' | 'unreachable';

/** Maps a Node socket error raised before the connection was established. */
export function connectErrorOutcome(err: NodeJS.ErrnoException): Exclude<TcpOutcome, 'connected'> {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ETIMEDOUT':
      return 'timeout';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'reset';
    default:
      // EHOSTUNREACH, ENETUNREACH, EADDRNOTAVAIL, EACCES (firewall), ...: the address cannot be reached.
      return 'unreachable';
  }
}

/** Milliseconds left before `deadline`, capped at `cap`; never negative. */
export function budget(deadline: number, cap: number): number {
  return Math.max(0, Math.min(cap, deadline - Date.now()));
}

/** Runs `tasks` with at most `limit` in flight; results keep the input order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
