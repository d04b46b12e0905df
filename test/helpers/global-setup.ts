import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAB_PREFIX } from '../bot/capture/helpers/lab.js';

// Runs once in vitest's main process. The capture lab is shared by the test files of one run (keyed
// by this process's pid, the workers' parent): it is removed when the run ends, so the suite leaves
// no tls-triage-* folder in the system temp folder. Other runs' labs are theirs to remove.
export default function setup(): () => void {
  return () => {
    const root = join(tmpdir(), `${LAB_PREFIX}${process.pid}`);
    rmSync(root, { recursive: true, force: true });
    rmSync(`${root}.lock`, { recursive: true, force: true });
  };
}
