import type { Warning } from '../rules/index.js';

/**
 * The warning for private keys found in an input, the same in chat and on the command line: the key
 * was not stored or repeated, but it is exposed and must be rotated.
 */
export function privateKeyWarning(count: number, where: 'chat' | 'file'): Warning {
  const blocks = `${count} block${count > 1 ? 's' : ''}`;
  const text =
    where === 'chat'
      ? `A private key was posted here (${blocks}). tls-triage did not store it and will not repeat it, but everyone in this conversation and the chat platform's own storage have it: treat the key as compromised, rotate it (new key, new certificate), and delete the message.`
      : `This input holds a private key (${blocks}). tls-triage did not store it or print it, but it was in a file or pasted into a terminal, and wherever that came from (a ticket, a chat, a shared folder) has it: treat the key as compromised, rotate it (new key, new certificate), and delete the copies.`;
  return { id: 'private-key-pasted', text };
}
