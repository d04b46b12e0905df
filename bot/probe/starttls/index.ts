// STARTTLS and the database upgrades: the preamble run on a fresh connection before any TLS byte
// is sent (the names, ports and URL schemes are in schemes.ts, free of I/O).
import type { Socket } from 'node:net';
import { ldap, mysql, postgres } from './binary-protocols.js';
import { PlainConversation } from './conversation.js';
import type { StartTlsProtocol } from './schemes.js';
import { ftp, imap, pop3, smtp } from './text-protocols.js';

export * from './schemes.js';

const PREAMBLES: Readonly<Record<StartTlsProtocol, (c: PlainConversation) => Promise<void>>> = { smtp, imap, pop3, ftp, ldap, postgres, mysql };

/**
 * Runs the protocol's preamble on a connected socket, at most until `deadline`; throws
 * StartTlsError when the server does not agree. Returns bytes read past the preamble.
 */
export async function negotiateStartTls(socket: Socket, protocol: StartTlsProtocol, deadline: number): Promise<{ leftover: Buffer; banner?: string }> {
  const conversation = new PlainConversation(socket, deadline);
  try {
    await PREAMBLES[protocol](conversation);
    return { leftover: conversation.release(), ...(conversation.banner ? { banner: conversation.banner } : {}) };
  } catch (error) {
    conversation.release();
    throw error;
  }
}

export { StartTlsError } from './conversation.js';
