// People paste errors inside other text: quoted in Markdown ("> curl: (60) ..."), as an R or shell
// session ("#> Error ..."), or inside a log shipper's JSON ({"log":"... Get \"https://x\": x509: ...\n"}).
// Signatures are written for the error as its program prints it; this gives them that text back, so a
// pattern anchored at the start of a line, or one that expects a plain quote, still applies.

const QUOTE_PREFIX = /^(?:\s{0,4}(?:>|\||#>|\+)\s?){1,4}/;

/** The line as its program printed it: quote markers removed, JSON string escapes undone. Cheap when there are none. */
export function unwrapLine(text: string): string {
  let out = text;
  const first = out.charCodeAt(0);
  // '>', '|', '#', '+' or leading blanks before one of them: a quoted or prompted line.
  if (first === 62 || first === 124 || first === 35 || first === 43 || first === 32) out = out.replace(QUOTE_PREFIX, '');
  // A JSON-encoded message: its quotes and line breaks are escaped.
  if (out.includes('\\"') || out.includes('\\n') || out.includes('\\t')) {
    out = out.replace(/\\\\/g, '\u0000').replace(/\\"/g, '"').replace(/\\[nrt]/g, ' ').replace(/\u0000/g, '\\');
  }
  return out;
}
