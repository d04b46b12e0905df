import pino, { type DestinationStream, type Logger } from 'pino';

// One structured logger for the process. Tokens, secrets and pasted bodies never reach the log:
// the paths below are redacted wherever they appear, and callers log sizes and ids, not text.
export const REDACT_PATHS = [
  'token', '*.token', 'botToken', '*.botToken', 'appToken', '*.appToken',
  'signingSecret', '*.signingSecret', 'appPassword', '*.appPassword', 'password', '*.password', 'MicrosoftAppPassword', '*.MicrosoftAppPassword',
  'authorization', '*.authorization', 'req.headers.authorization', 'headers.authorization', 'headers.cookie',
  'text', '*.text', 'body', '*.body', 'privateKey', '*.privateKey', 'url_private', '*.url_private',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, base: { app: 'tls-triage' }, redact: { paths: REDACT_PATHS, censor: '[REDACTED]' } };
  // Logs go to stderr so that stdout stays the CLI's (and the console's) output.
  return destination ? pino(options, destination) : pino(options, pino.destination(2));
}

export type { Logger };

/** A logger that appends JSON lines to a file (the probe's audit file); written synchronously, so a CLI that exits at once loses nothing. */
export function createFileLogger(path: string): Logger {
  const options = { level: 'info', base: { app: 'tls-triage' }, redact: { paths: REDACT_PATHS, censor: '[REDACTED]' } };
  return pino(options, pino.destination({ dest: path, append: true, mkdir: true, sync: true }));
}
