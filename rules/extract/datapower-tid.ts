// A DataPower tid read straight from a line's bytes, for the scanner's hot path: most hit lines in a
// big log are context lines that only need their tid, and parsing the whole header would cost more
// than finding them. The tid is a number (DataPower's are far below 2^53); a tid that would not
// round-trip as one (more than 15 digits, a leading zero) is left to the full analysis.

const DIGITS_MAX = 15;

/** The tid of `tid(N)` in bytes[from, to) (the first one at a word boundary), or undefined. */
export function dataPowerTid(bytes: Uint8Array, from: number, to: number): number | undefined {
  // A bounded loop, not Buffer#indexOf: that would search on past the line, to the end of the chunk.
  for (let i = from; i + 4 < to; i++) {
    if (bytes[i] !== 116 || bytes[i + 1] !== 105 || bytes[i + 2] !== 100 || bytes[i + 3] !== 40) continue; // "tid("
    if (i > from && isWordByte(bytes[i - 1] as number)) continue;
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
  return undefined;
}

/** The tid of a connection key made by the line analysis ("datapower:N"), under the same limits. */
export function tidOfConnection(connection: string): number | undefined {
  if (!connection.startsWith('datapower:')) return undefined;
  const digits = connection.slice(10);
  if (digits.length > DIGITS_MAX || (digits.length > 1 && digits[0] === '0')) return undefined;
  return Number(digits);
}

function isWordByte(b: number): boolean {
  return (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b === 95;
}
