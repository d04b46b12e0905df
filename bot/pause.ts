import { setImmediate } from 'node:timers/promises';
import type { Pause } from '../rules/index.js';

// Long work on one input (a 20 MiB paste, a capture of 300 000 packets, a big export) is done in
// slices with a turn of the event loop in between, so that no input holds up the others (and the
// chat platforms' acknowledgements) for more than a slice at a time.

export const nextTurn: Pause = () => setImmediate();
