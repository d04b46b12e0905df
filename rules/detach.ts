/**
 * A copy of a string that does not keep its parent alive: V8's slices reference the parent, so a
 * stored 200-byte line would otherwise pin the whole 1 MB chunk it was cut from.
 */
export function detach(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}
