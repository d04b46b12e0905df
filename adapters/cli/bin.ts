import { earlyWorker } from './early-worker.js';

// The executable entry (bin/tls-triage.js imports the compiled form of this file). A big log file's
// worker thread is started before the rest of the program is loaded (early-worker.ts).
const argv = process.argv.slice(2);
const worker = earlyWorker(argv);
const io = {
  stdin: process.stdin,
  stdinIsTty: Boolean(process.stdin.isTTY),
  write: (text: string) => void process.stdout.write(text),
  note: (text: string) => void process.stderr.write(`${text}\n`),
};
// `probe` loads only what probing needs (probe-cli.ts): no chat SDK, no log rules.
const run: Promise<number> =
  argv[0] === 'probe' ? import('./probe-cli.js').then((m) => m.runProbeCli(argv.slice(1), io)) : import('./main.js').then((m) => m.main(argv, io, worker ? { worker } : {}));
run
  // main stops the worker too; this covers the paths that never reach that (bad usage).
  .finally(() => worker?.stop())
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`tls-triage: internal error: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
