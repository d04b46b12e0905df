import { createInterface } from 'node:readline';
import { openSqliteStore } from '../../../bot/store/sqlite.js';

// Runs in its own process for the SQLite tests: writes evidence into a store file and reports on
// stdout. Usage: sqlite-child.ts PATH THREAD COUNT hang|exit
// It prints "ready" once the store is open and starts writing at a "go" line on stdin, so two
// children can be made to write at the same time. "hang" stays alive after "written" until killed.

const [path, thread, count, after] = process.argv.slice(2);
if (!path || !thread || !count || (after !== 'hang' && after !== 'exit')) {
  process.stderr.write('usage: sqlite-child.ts PATH THREAD COUNT hang|exit\n');
  process.exit(2);
}

const store = openSqliteStore(path, { retentionMs: 24 * 60 * 60 * 1000 });
const key = { platform: 'slack', channel: 'C1', thread };
process.stdout.write('ready\n');

const lines = createInterface({ input: process.stdin });
lines.once('line', () => {
  void (async () => {
    for (let i = 0; i < Number(count); i++) {
      await store.addEvidence(key, { kind: 'paste', user: `pid-${process.pid}`, at: new Date().toISOString(), text: `item ${i}`, bytes: 6, gathered: [] });
    }
    process.stdout.write('written\n');
    if (after === 'exit') {
      await store.close();
      process.exit(0);
    }
    // Keep the store open: the test kills this process to prove committed writes survive.
    setInterval(() => undefined, 60_000);
  })();
});
