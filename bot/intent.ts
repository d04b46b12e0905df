// What a message asks for. Commands are single words (plus a target for probe) so ordinary chatter
// in a thread is never mistaken for one; everything else is text to diagnose.

export type Command = 'help' | 'status' | 'summary' | 'resolve' | 'forget';

export type Intent =
  | { kind: 'command'; command: Command }
  | { kind: 'probe'; target: string; as?: string }
  /** Open a listener for this incident: what a client offers joins it (bot/listen/service.ts). */
  | { kind: 'listen' }
  | { kind: 'diagnose'; text: string; explicit: boolean };

const BARE_TARGET = /^(?:[a-z0-9](?:[a-z0-9-]{0,62}\.){0,10}[a-z0-9-]{1,63}|\[[0-9a-f:.]{2,45}\]):\d{1,5}$/i;

const COMMANDS: Record<string, Command> = { help: 'help', '?': 'help', status: 'status', summary: 'summary', resolve: 'resolve', forget: 'forget' };

export function parseIntent(text: string): Intent {
  const trimmed = text.trim();
  const [word = '', ...rest] = trimmed.split(/\s+/);
  const name = word.toLowerCase().replace(/^\//, '');
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command && rest.length === 0) return { kind: 'command', command };
  if (name === 'probe' && rest.length === 1 && !trimmed.includes('\n')) return { kind: 'probe', target: rest[0] as string };
  // "probe host:port as java-8": the server meets that client's ClientHello (probe --as).
  if (name === 'probe' && rest.length === 3 && rest[1]?.toLowerCase() === 'as' && !trimmed.includes('\n')) return { kind: 'probe', target: rest[0] as string, as: rest[2] as string };
  if (name === 'listen' && rest.length === 0) return { kind: 'listen' };
  // "@tls-triage payments-gw.internal:8443": a lone host:port spoken to the bot is a probe request.
  if (rest.length === 0 && BARE_TARGET.test(word)) return { kind: 'probe', target: word };
  if (name === 'diagnose') return { kind: 'diagnose', text: trimmed.slice(word.length).trimStart(), explicit: true };
  return { kind: 'diagnose', text, explicit: false };
}

/** True when one line on its own is a command (the console sends it at once instead of buffering a paste). */
export function isCommandLine(line: string): boolean {
  return parseIntent(line).kind !== 'diagnose';
}
