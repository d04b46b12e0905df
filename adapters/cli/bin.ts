import { fileURLToPath } from 'node:url';

// The executable entry (bin/tls-triage.js imports the compiled form of this file). A big log file's
// worker thread is started before the rest of the program is loaded (early-worker.ts).
const argv = process.argv.slice(2);
// Only `diagnose` starts a worker early: other commands do not load that module at all.
const worker = argv[0] === 'diagnose' ? (await import('./early-worker.js')).earlyWorker(argv) : undefined;
const io = {
  stdin: process.stdin,
  stdinIsTty: Boolean(process.stdin.isTTY),
  write: (text: string) => void process.stdout.write(text),
  note: (text: string) => void process.stderr.write(`${text}\n`),
};
// `probe` loads only what probing needs (probe-cli.ts): no chat SDK, no log rules; from one
// bundled CommonJS file with its V8 code cache when the build made them (scripts/bundle-probe.mjs),
// else module by module.
type ProbeCli = typeof import('./probe-cli.js');
async function loadProbeCli(): Promise<ProbeCli> {
  const { loadCommonJsBundle } = await import('./load-bundle.js');
  const bundled = loadCommonJsBundle(fileURLToPath(new URL('../../probe-cli.bundle.cjs', import.meta.url)));
  return bundled ? (bundled.exports as ProbeCli) : import('./probe-cli.js');
}
const run: Promise<number> =
  argv[0] === 'probe' ? loadProbeCli().then((m) => m.runProbeCli(argv.slice(1), io)) : import('./main.js').then((m) => m.main(argv, io, worker ? { worker } : {}));
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
