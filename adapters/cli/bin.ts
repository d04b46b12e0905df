import { main } from './main.js';

// The executable entry (bin/tls-triage.js imports the compiled form of this file).
main(process.argv.slice(2), {
  stdin: process.stdin,
  stdinIsTty: Boolean(process.stdin.isTTY),
  write: (text) => void process.stdout.write(text),
  note: (text) => void process.stderr.write(`${text}\n`),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`tls-triage: internal error: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
