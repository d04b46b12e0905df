// A DataPower tid read straight from a line's bytes, for the scanner's hot path: most hit lines in a
// big log are context lines that only need their tid, and parsing the whole header would cost more
// than finding them. The tid is a number (DataPower's are far below 2^53); a tid that would not
// round-trip as one (more than 15 digits, a leading zero) is left to the full analysis.

const DIGITS_MAX = 15;

const TID_OPEN = Buffer.from('tid(');

/**
 * Reads tids from the lines of one buffer, in order. The "tid(" is found by Buffer#indexOf (native,
 * much faster than a byte loop), and where the next one is gets remembered: a search that runs past
 * the current line (lines without a tid) is not repeated for the lines before the place it found,
 * so the searching costs one pass over the buffer at most, whatever the lines are.
 */
export class TidReader {
  private bytes: Uint8Array = new Uint8Array(0);
  /** Where the next "tid(" at or after the last searched position is (Infinity: none left). */
  private next = -1;
  private searchedFrom = 0;

  /** Starts on a new buffer (or on the same one filled anew). */
  reset(bytes: Buffer): void {
    this.bytes = bytes;
    this.next = -1;
    this.searchedFrom = 0;
  }

  /** The tid of the first `tid(N)` at a word boundary in bytes[from, to); lines must be asked in order. */
  tidIn(from: number, to: number): number | undefined {
    const bytes = this.bytes as Buffer;
    for (;;) {
      if (this.next < from || from < this.searchedFrom) {
        const at = bytes.indexOf(TID_OPEN, from);
        this.searchedFrom = from;
        this.next = at === -1 ? Number.POSITIVE_INFINITY : at;
      }
      const at = this.next;
      if (at + 4 >= to) return undefined;
      if (at === from || !isWordByte(bytes[at - 1] as number)) return tidAt(bytes, at, to);
      from = at + 1; // "xtid(" is no tid: look on in the line
    }
  }
}

/** The number of a "tid(" found at `i`, if digits and ')' follow before `to`. */
function tidAt(bytes: Uint8Array, i: number, to: number): number | undefined {
  let at = i + 4;
  let value = 0;
  while (at < to && at - i - 4 <= DIGITS_MAX && (bytes[at] as number) >= 48 && (bytes[at] as number) <= 57) {
    value = value * 10 + (bytes[at] as number) - 48;
    at += 1;
  }
  const digits = at - i - 4;
  if (digits === 0 || digits > DIGITS_MAX || at >= to || bytes[at] !== 41) return undefined;
  return digits > 1 && bytes[i + 4] === 48 ? undefined : value;
}

/** The tid of a connection key made by the line analysis ("datapower:N"), under the same limits. */
export function tidOfConnection(connection: string): number | undefined {
  return connection.startsWith('datapower:') ? tidNumber(connection.slice(10)) : undefined;
}

/** A tid's digits as a number, under the same limits as the byte reader (else undefined). */
export function tidNumber(digits: string): number | undefined {
  if (digits.length === 0 || digits.length > DIGITS_MAX || (digits.length > 1 && digits[0] === '0')) return undefined;
  return Number(digits);
}

function isWordByte(b: number): boolean {
  return (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b === 95;
}
