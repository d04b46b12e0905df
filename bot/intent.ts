// What a message asks for. Commands are single words (plus a target for probe, a verdict for
// feedback) so ordinary chatter in a thread is never mistaken for one; everything else is text to
// diagnose.

export type Command = 'help' | 'status' | 'summary' | 'resolve' | 'forget' | 'details';

export type Verdict = 'right' | 'wrong';

export type Intent =
  | { kind: 'command'; command: Command }
  | { kind: 'probe'; target: string; as?: string }
  /** Open a listener for this incident: what a client offers joins it (bot/listen/service.ts). */
  | { kind: 'listen' }
  | { kind: 'feedback'; verdict?: Verdict; comment?: string }
  | { kind: 'diagnose'; text: string; explicit: boolean };

const BARE_TARGET = /^(?:[a-z0-9](?:[a-z0-9-]{0,62}\.){0,10}[a-z0-9-]{1,63}|\[[0-9a-f:.]{2,45}\]):\d{1,5}$/i;

const COMMANDS: Record<string, Command> = { help: 'help', '?': 'help', status: 'status', summary: 'summary', resolve: 'resolve', forget: 'forget', details: 'details' };

/** A feedback comment is a sentence, not a paste. */
export const MAX_FEEDBACK_COMMENT = 500;

/** The first word, the second, and whether more follow: a 20 MiB paste is not split into millions of words. */
const FIRST_WORDS = /^(\S*)(?:\s+(\S+))?(\s+\S)?/;

export function parseIntent(text: string): Intent {
  const trimmed = text.trim();
  const [, word = '', second, more] = FIRST_WORDS.exec(trimmed) ?? [];
  const words = second === undefined ? 1 : more === undefined ? 2 : 3;
  const name = word.toLowerCase().replace(/^\//, '');
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command && words === 1) return { kind: 'command', command };
  if (name === 'probe' && words === 2 && !trimmed.includes('\n')) return { kind: 'probe', target: second as string };
  // "probe host:port as java-8": the server meets that client's ClientHello (probe --as).
  if (name === 'probe' && words === 3 && trimmed.length <= 300 && !trimmed.includes('\n')) {
    const [, target, as, client, extra] = trimmed.split(/\s+/);
    if (as?.toLowerCase() === 'as' && client !== undefined && extra === undefined) return { kind: 'probe', target: target as string, as: client };
  }
  if (name === 'listen' && words === 1) return { kind: 'listen' };
  // A feedback comment is one line; only its first few hundred characters are split into words.
  if (name === 'feedback' && !trimmed.includes('\n')) return feedbackIntent(trimmed.slice(word.length, word.length + MAX_FEEDBACK_COMMENT + 40).trim().split(/\s+/).filter(Boolean));
  // "@tls-triage payments-gw.internal:8443": a lone host:port spoken to the bot is a probe request.
  if (words === 1 && BARE_TARGET.test(word)) return { kind: 'probe', target: word };
  if (name === 'diagnose') return { kind: 'diagnose', text: trimmed.slice(word.length).trimStart(), explicit: true };
  return { kind: 'diagnose', text, explicit: false };
}

/** `feedback right`, `feedback wrong it was the proxy`; a bare or unclear `feedback` asks how. */
function feedbackIntent(words: readonly string[]): Intent {
  const [first = '', ...comment] = words;
  const verdict = /^(?:right|correct|yes|\+1)$/i.test(first) ? 'right' : /^(?:wrong|incorrect|no|-1)$/i.test(first) ? 'wrong' : undefined;
  if (!verdict) return { kind: 'feedback' };
  const said = comment.join(' ').trim().slice(0, MAX_FEEDBACK_COMMENT);
  return said ? { kind: 'feedback', verdict, comment: said } : { kind: 'feedback', verdict };
}

/** True when one line on its own is a command (the console sends it at once instead of buffering a paste). */
export function isCommandLine(line: string): boolean {
  return parseIntent(line).kind !== 'diagnose';
}
