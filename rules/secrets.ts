// Pasted private keys: found, cut out before anything is stored, diagnosed or echoed, and counted so
// the bot can warn that the key must be treated as compromised.

const BEGIN = /-----BEGIN ((?:[A-Z0-9]{1,20} ){0,3})PRIVATE KEY( BLOCK)?-----/g;
// What a PEM body and its headers look like, for a block pasted without its END line.
const PEM_BODY_LINE = /^(?:[A-Za-z0-9+/=]{1,100}|Proc-Type:.{0,100}|DEK-Info:.{0,200}|Comment:.{0,200}|\s*)\r?$/;

export const PRIVATE_KEY_PLACEHOLDER = '[private key removed by tls-triage: it was not stored]';

export interface KeyRedaction {
  readonly text: string;
  /** How many private key blocks were cut out. */
  readonly removed: number;
}

export function removePrivateKeys(text: string): KeyRedaction {
  if (!text.includes('PRIVATE KEY')) return { text, removed: 0 };
  let removed = 0;
  let out = '';
  let from = 0;
  // Where each END marker was last found (-1: nowhere further on): hostile text with thousands of
  // BEGIN lines and no END must not make every BEGIN search to the end of the text again.
  const ends = new Map<string, number>();
  const findEnd = (marker: string, after: number): number => {
    const known = ends.get(marker);
    if (known === -1 || (known !== undefined && known >= after)) return known;
    const found = text.indexOf(marker, after);
    ends.set(marker, found);
    return found;
  };
  BEGIN.lastIndex = 0;
  for (let m = BEGIN.exec(text); m; m = BEGIN.exec(text)) {
    if (m.index < from) continue;
    const endMarker = `-----END ${m[1] ?? ''}PRIVATE KEY${m[2] ?? ''}-----`;
    const end = findEnd(endMarker, m.index + m[0].length);
    const stop = end !== -1 ? end + endMarker.length : endOfBody(text, m.index + m[0].length);
    out += text.slice(from, m.index) + PRIVATE_KEY_PLACEHOLDER;
    from = stop;
    BEGIN.lastIndex = stop;
    removed += 1;
  }
  return { text: out + text.slice(from), removed };
}

/** Where a PEM body without an END line stops: at the first line that is not base64 or a header. */
function endOfBody(text: string, from: number): number {
  let at = text.indexOf('\n', from);
  if (at === -1) return text.length;
  for (;;) {
    const next = text.indexOf('\n', at + 1);
    const line = text.slice(at + 1, next === -1 ? text.length : next);
    if (line.length === 0 || !PEM_BODY_LINE.test(line)) return at;
    if (next === -1) return text.length;
    at = next;
  }
}
