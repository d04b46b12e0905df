import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Diagnoser } from '../../rules/index.js';
import type { Config } from '../../bot/config.js';
import { TriageError } from '../../bot/errors.js';
import { diagnoseStream } from '../../bot/read-log.js';
import { resolveRoute } from '../../bot/routing.js';
import { renderDiagnosisText } from '../text/render.js';

export interface CliIo {
  readonly stdin: Readable;
  write(text: string): void;
  note(text: string): void;
  readonly stdinIsTty: boolean;
}

export async function runDiagnose(file: string | undefined, json: boolean, diagnoser: Diagnoser, config: Config, io: CliIo): Promise<number> {
  const fromStdin = file === undefined || file === '-';
  if (fromStdin && io.stdinIsTty) io.note('reading log text from standard input; end with Ctrl-D');
  const source = fromStdin ? io.stdin : await openFile(file as string);
  const diagnosis = await diagnoseStream(source, diagnoser, fromStdin ? 'standard input' : (file as string));
  const runbook = config.runbooks[diagnosis.cause];
  if (runbook) diagnosis.runbook = runbook;
  if (json) io.write(`${JSON.stringify(diagnosis, null, 2)}\n`);
  else io.write(`${renderDiagnosisText(diagnosis, resolveRoute(diagnosis, config.routing)?.target)}\n`);
  return 0;
}

function openFile(path: string): Promise<Readable> {
  return new Promise((resolve, reject) => {
    // 256 KB reads: 1 MB chunk strings land in V8's large-object space and inflate peak memory.
    const stream = createReadStream(path, { highWaterMark: 256 * 1024 });
    stream.once('open', () => resolve(stream));
    stream.once('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'ENOENT' ? 'no such file' : error.code === 'EISDIR' ? 'is a directory' : error.code === 'EACCES' ? 'permission denied' : error.message;
      reject(new TriageError('INPUT_UNREADABLE', `cannot read ${path}: ${why}`));
    });
  });
}
