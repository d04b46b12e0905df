import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openStore } from '../../../bot/store/index.js';
import { openSqliteStore } from '../../../bot/store/sqlite.js';
import type { IncidentStore } from '../../../bot/store/types.js';
import { describeStoreContract, keyOf, paste, testClock } from './contract.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(dirname(dirname(HERE)));
const DAY = 24 * 60 * 60 * 1000;

const dirs: string[] = [];
const tempPath = (name = 'store.db'): string => {
  const dir = mkdtempSync(join(tmpdir(), 'tls-triage-sqlite-'));
  dirs.push(dir);
  return join(dir, name);
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describeStoreContract('sqlite', async (options) => openSqliteStore(tempPath(), options), { realTime: false });

function count(path: string, sql: string, ...params: string[]): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare<string[], { n: number }>(sql).get(...params)?.n ?? -1);
  } finally {
    db.close();
  }
}

interface Child {
  readonly process: ChildProcessWithoutNullStreams;
  /** Resolves when the child printed `line`; rejects if it exits first. */
  printed(line: string): Promise<void>;
  /** Exit code and whatever the child wrote to stderr. */
  exited: Promise<{ code: number | null; stderr: string }>;
}

function startChild(path: string, thread: string, items: number, after: 'hang' | 'exit'): Child {
  const child = spawn(process.execPath, ['--import', 'tsx/esm', join(HERE, 'sqlite-child.ts'), path, thread, String(items), after], { cwd: ROOT });
  let stdout = '';
  let stderr = '';
  const waiters: { line: string; resolve: () => void; reject: (e: Error) => void }[] = [];
  const check = (): void => {
    for (const w of [...waiters]) if (stdout.split('\n').includes(w.line)) (waiters.splice(waiters.indexOf(w), 1), w.resolve());
  };
  child.stdout.on('data', (c: Buffer) => ((stdout += c.toString()), check()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('close', (code) => {
    for (const w of waiters.splice(0)) w.reject(new Error(`child exited (${code}) before "${w.line}": ${stderr}`));
    resolve({ code, stderr });
  }));
  return {
    process: child,
    exited,
    printed: (line) => new Promise((resolve, reject) => ((waiters.push({ line, resolve, reject }), check()))),
  };
}

describe('sqlite store on disk', () => {
  it('creates the parent directory, uses WAL and names its file', async () => {
    const path = join(dirname(tempPath()), 'nested', 'deeper', 'incidents.db');
    const store = openSqliteStore(path, { retentionMs: DAY });
    try {
      expect(existsSync(path)).toBe(true);
      expect(store.description).toBe(`sqlite ${path}`);
      await store.addEvidence(keyOf(), paste('x'));
      const db = new Database(path, { readonly: true });
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      db.close();
    } finally {
      await store.close();
    }
    await store.close(); // a second close is harmless
  });

  it('hides an expired incident before the purge, and the purge really deletes its rows and old events', async () => {
    const path = tempPath();
    const clock = testClock(false);
    const store = openSqliteStore(path, { retentionMs: 1000, now: clock.now });
    try {
      await store.addEvidence(keyOf('old'), paste('old 1'));
      await store.addEvidence(keyOf('old'), paste('old 2'));
      await store.claimEvent('Ev-old', 500);
      await clock.advance(600);
      await store.addEvidence(keyOf('live'), paste('live'));
      await store.completeEvent('Ev-live', 5000);
      await clock.advance(600);
      expect(await store.load(keyOf('old'))).toBeUndefined();
      expect(count(path, 'SELECT COUNT(*) AS n FROM evidence')).toBe(3);
      expect(await store.purgeExpired()).toBe(1);
      expect(count(path, 'SELECT COUNT(*) AS n FROM incidents')).toBe(1);
      expect(count(path, 'SELECT COUNT(*) AS n FROM evidence')).toBe(1);
      expect(count(path, 'SELECT COUNT(*) AS n FROM events WHERE id = ?', 'Ev-old')).toBe(0);
      expect(count(path, 'SELECT COUNT(*) AS n FROM events WHERE id = ?', 'Ev-live')).toBe(1);
      expect((await store.load(keyOf('live')))?.evidence).toHaveLength(1);
      expect(await store.purgeExpired()).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('purges expired incidents every hour while open', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const path = tempPath();
    const clock = testClock(false);
    const store = openSqliteStore(path, { retentionMs: 1000, now: clock.now });
    try {
      await store.addEvidence(keyOf(), paste('x'));
      await clock.advance(1500);
      vi.advanceTimersByTime(59 * 60 * 1000);
      expect(count(path, 'SELECT COUNT(*) AS n FROM incidents')).toBe(1);
      vi.advanceTimersByTime(60 * 1000);
      expect(count(path, 'SELECT COUNT(*) AS n FROM incidents')).toBe(0);
    } finally {
      await store.close();
      vi.useRealTimers();
    }
  });

  it('is what openStore opens when no Redis URL is set', async () => {
    const path = tempPath();
    const store = await openStore({ path, retentionDays: 30 });
    try {
      expect(store.description).toBe(`sqlite ${path}`);
      await store.addEvidence(keyOf(), paste('x'));
      expect(count(path, 'SELECT COUNT(*) AS n FROM evidence')).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('purges expired incidents when it opens', async () => {
    const path = tempPath();
    const clock = testClock(false);
    const first = openSqliteStore(path, { retentionMs: 1000, now: clock.now });
    await first.addEvidence(keyOf(), paste('x'));
    await first.close();
    await clock.advance(1500);
    const second = openSqliteStore(path, { retentionMs: 1000, now: clock.now });
    try {
      expect(count(path, 'SELECT COUNT(*) AS n FROM incidents')).toBe(0);
      expect(count(path, 'SELECT COUNT(*) AS n FROM evidence')).toBe(0);
    } finally {
      await second.close();
    }
  });

  it('lands every write of two store instances on one file', async () => {
    const path = tempPath();
    const stores: IncidentStore[] = [openSqliteStore(path, { retentionMs: DAY }), openSqliteStore(path, { retentionMs: DAY })];
    try {
      const writes = Array.from({ length: 50 }, (_, i) => (stores[i % 2] as IncidentStore).addEvidence(keyOf(), paste(`w${i}`)));
      const seqs = (await Promise.all(writes)).map((r) => r.seq).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect((await stores[1]?.load(keyOf()))?.evidence).toHaveLength(50);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('lands every write of two processes writing into one incident at once', async () => {
    const path = tempPath();
    openSqliteStore(path, { retentionMs: DAY }).close(); // schema first, so the children race only on writes
    const children = [startChild(path, 'shared', 150, 'exit'), startChild(path, 'shared', 150, 'exit')];
    await Promise.all(children.map((c) => c.printed('ready')));
    for (const c of children) c.process.stdin.write('go\n');
    for (const { code, stderr } of await Promise.all(children.map((c) => c.exited))) expect(code, stderr).toBe(0);
    const store = openSqliteStore(path, { retentionMs: DAY });
    try {
      const evidence = (await store.load({ platform: 'slack', channel: 'C1', thread: 'shared' }))?.evidence ?? [];
      expect(evidence.map((e) => e.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
      expect(new Set(evidence.map((e) => e.user)).size).toBe(2);
    } finally {
      await store.close();
    }
  });

  it('keeps what a killed process had committed', async () => {
    const path = tempPath();
    const child = startChild(path, 'killed', 5, 'hang');
    await child.printed('ready');
    child.process.stdin.write('go\n');
    await child.printed('written');
    child.process.kill('SIGKILL');
    await child.exited;
    // The WAL file is still there: the killed process never checkpointed or closed.
    expect(existsSync(`${path}-wal`)).toBe(true);
    const store = openSqliteStore(path, { retentionMs: DAY });
    try {
      const evidence = (await store.load({ platform: 'slack', channel: 'C1', thread: 'killed' }))?.evidence ?? [];
      expect(evidence.map((e) => e.text)).toEqual(['item 0', 'item 1', 'item 2', 'item 3', 'item 4']);
    } finally {
      await store.close();
    }
  });
});
