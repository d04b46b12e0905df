import { createReadStream, fstat, readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Diagnoser } from '../../rules/index.js';
import { readCaFiles } from '../../bot/certificates/ca-files.js';
import { roleFromFileName } from '../../bot/certificates/role-hint.js';
import type { Config } from '../../bot/config.js';
import { TriageError } from '../../bot/errors.js';
import { diagnoseInput } from '../../bot/read-input.js';
import type { LogStreamOptions } from '../../bot/logs/read-log.js';
import type { LogScanWorker } from '../../bot/logs/split-log.js';
import { presentDiagnosis } from '../../bot/present.js';
import { privateKeyWarning } from '../../bot/private-key-warning.js';
import { watchForPrivateKeys } from '../../bot/private-key-watch.js';
import { hasCaptureLadder, renderCaptureDetails, withoutFrameEvidence } from '../text/render-capture.js';
import { hasCertificates, renderCertificateDetails } from '../text/render-certificates.js';
import { hasDomainExport, renderExportDetails } from '../text/render-export.js';
import { renderDiagnosisText } from '../text/render-diagnosis.js';

export interface CliIo {
  readonly stdin: Readable;
  write(text: string): void;
  note(text: string): void;
  readonly stdinIsTty: boolean;
}

export interface DiagnoseOptions {
  /** --ca files: trust anchors for certificates, besides the system store and certificates.caFiles. */
  readonly caFiles?: readonly string[];
  /** --role: what the certificate is for, when its key usage cannot tell (a client certificate without clientAuth). */
  readonly role?: 'client' | 'server';
  /** A worker started ahead (bot/logs/split-log.ts) for a big log file's second half. */
  readonly worker?: LogScanWorker;
}

export async function runDiagnose(file: string | undefined, json: boolean, diagnoser: Diagnoser, config: Config, io: CliIo, options: DiagnoseOptions = {}): Promise<number> {
  const fromStdin = file === undefined || file === '-';
  if (fromStdin && io.stdinIsTty) io.note('reading log text from standard input; end with Ctrl-D');
  const extraCaPem = [...readCaFiles(config.certificates.caFiles), ...(options.caFiles ?? []).map(readCa)];
  const opened = fromStdin ? undefined : await openFile(file as string);
  // A private key in the input is counted as it streams past (never quoted): the reply warns about it.
  const keys = watchForPrivateKeys(opened?.stream ?? io.stdin);
  const source = keys.stream;
  const role = options.role ?? (fromStdin ? undefined : roleFromFileName(file as string));
  const { diagnosis, problems } = await diagnoseInput(source, diagnoser, fromStdin ? 'standard input' : (file as string), {
    name: fromStdin ? 'stdin.pem' : (file as string),
    extraCaPem,
    ...(role ? { declaredRole: role } : {}),
  }, opened && options.worker ? { ...opened.log, worker: options.worker } : opened?.log, config.input);
  for (const problem of problems) io.note(`tls-triage: ${problem}`);
  // The runbook, the routing, and next steps the probe policy allows as they are (as in chat).
  const { diagnosis: shown, route } = presentDiagnosis(diagnosis, config);
  const warning = keys.count() > 0 ? privateKeyWarning(keys.count(), 'file') : undefined;
  if (warning) shown.warnings = [warning, ...shown.warnings.filter((w) => w.id !== warning.id)];
  if (json) {
    io.write(`${JSON.stringify(shown, null, 2)}\n`);
    return 0;
  }
  const head = warning ? `!!! WARNING [${warning.id}]: ${warning.text}\n\n` : '';
  if (hasCertificates(shown)) io.write(`${head}${renderCertificateDetails(shown)}\n\n${renderDiagnosisText(shown, route)}\n`);
  else if (hasDomainExport(shown)) io.write(`${head}${renderExportDetails(shown)}\n\n${renderDiagnosisText(shown, route)}\n`);
  else if (hasCaptureLadder(shown)) io.write(`${head}${renderCaptureDetails(shown)}\n\n${renderDiagnosisText(withoutFrameEvidence(shown), route)}\n`);
  else io.write(`${head}${renderDiagnosisText(shown, route)}\n`);
  return 0;
}

function readCa(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new TriageError('INPUT_UNREADABLE', `cannot read --ca ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function openFile(path: string): Promise<{ stream: Readable; log: LogStreamOptions }> {
  return new Promise((resolve, reject) => {
    // 1 MB reads: the scanner takes the bytes as they are (nothing is decoded but hit lines), and
    // fewer, larger reads cost less per byte.
    const stream = createReadStream(path, { highWaterMark: 1024 * 1024 });
    stream.once('open', (fd: number) => {
      // Only a regular file can be read in two parts at once (not a pipe or a device).
      fstat(fd, (error, stats) => resolve({ stream, log: !error && stats.isFile() ? { file: { path, size: stats.size } } : {} }));
    });
    stream.once('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'ENOENT' ? 'no such file' : error.code === 'EISDIR' ? 'is a directory' : error.code === 'EACCES' ? 'permission denied' : error.message;
      reject(new TriageError('INPUT_UNREADABLE', `cannot read ${path}: ${why}`));
    });
  });
}
