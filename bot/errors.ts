// Errors that reach a user carry a code and a short message; stacks go to the log, never to chat.

export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'RULES_INVALID'
  | 'INPUT_UNREADABLE'
  | 'INPUT_BINARY'
  | 'INPUT_TOO_LARGE'
  | 'USAGE'
  | 'PROBE_REFUSED'
  /** A chat platform could not be reached or refused a start-up call (the message names the URL and the call). */
  | 'PLATFORM_UNREACHABLE'
  /** The incident store is missing or cannot be opened. */
  | 'STORE_UNAVAILABLE'
  | 'INTERNAL';

export class TriageError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TriageError';
  }
}

export function isTriageError(error: unknown): error is TriageError {
  return error instanceof TriageError;
}
