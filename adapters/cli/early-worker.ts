import { startWorkerFor, type LogScanWorker } from '../../bot/logs/split-log.js';
import { DIAGNOSE_ARGS, parseArgs } from './args.js';

// Loading the whole program takes about a third of a second; a worker thread takes a tenth to come
// up. For `tls-triage diagnose FILE` on a big log, bin.ts starts the worker first, with only this
// small module graph loaded, so that it is ready when the file is opened. Anything unusual in the
// arguments is left to main.ts to report.

export function earlyWorker(argv: readonly string[]): LogScanWorker | undefined {
  const [command, ...rest] = argv;
  if (command !== 'diagnose') return undefined;
  try {
    const file = parseArgs(rest, DIAGNOSE_ARGS).positionals[0];
    return file !== undefined && file !== '-' ? startWorkerFor(file) : undefined;
  } catch {
    return undefined;
  }
}
