// The TLS upgrades of the binary protocols: LDAP's StartTLS extended operation (RFC 4511 §4.14),
// PostgreSQL's SSLRequest (protocol docs, "SSL Session Encryption") and MySQL's SSL capability in
// its handshake (the SSLRequest packet of the client/server protocol).
import { children, readTlv } from '../der.js';
import { PlainConversation, StartTlsError } from './conversation.js';

const LDAP_START_TLS_OID = '1.3.6.1.4.1.1466.20037';

/** LDAPMessage { messageID 1, extendedReq [APPLICATION 23] { requestName [0] StartTLS OID } }. */
export const LDAP_START_TLS_REQUEST: Buffer = (() => {
  const oid = Buffer.from(LDAP_START_TLS_OID, 'ascii');
  const name = Buffer.concat([Buffer.from([0x80, oid.length]), oid]);
  const op = Buffer.concat([Buffer.from([0x77, name.length]), name]);
  const body = Buffer.concat([Buffer.from([0x02, 0x01, 0x01]), op]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
})();

/** An LDAP result code and its diagnostic message, from an ExtendedResponse. */
export function readLdapExtendedResponse(message: Buffer): { resultCode: number; diagnostic: string } {
  const [, op] = children(readTlv(message).value);
  if (!op || op.tag !== 0x78) throw new RangeError('not an LDAP ExtendedResponse');
  const [code, , diagnostic] = children(op.value);
  if (!code || code.tag !== 0x0a) throw new RangeError('LDAP ExtendedResponse without a result code');
  return { resultCode: code.value.readUIntBE(0, Math.min(code.value.length, 4) || 1), diagnostic: diagnostic?.value.toString('utf8') ?? '' };
}

/** Reads one BER element whose length may be in long form (LDAP responses). */
async function readBerMessage(c: PlainConversation): Promise<Buffer> {
  const head = await c.readBytes(2);
  if (head[0] !== 0x30) throw new StartTlsError('unexpected', `the answer to LDAP StartTLS is not an LDAP message (first byte 0x${(head[0] ?? 0).toString(16)})`);
  const first = head[1] ?? 0;
  let length = first;
  let lengthBytes: Buffer = Buffer.alloc(0);
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n === 0 || n > 3) throw new StartTlsError('unexpected', 'an LDAP message with an unusable length');
    lengthBytes = await c.readBytes(n);
    length = lengthBytes.readUIntBE(0, n);
  }
  if (length > 16 * 1024) throw new StartTlsError('too-long', `an LDAP answer of ${length} bytes to StartTLS`);
  return Buffer.concat([head, lengthBytes, await c.readBytes(length)]);
}

export async function ldap(c: PlainConversation): Promise<void> {
  c.write(LDAP_START_TLS_REQUEST);
  const message = await readBerMessage(c);
  let answer: { resultCode: number; diagnostic: string };
  try {
    answer = readLdapExtendedResponse(message);
  } catch (error) {
    throw new StartTlsError('unexpected', `the LDAP server's answer to StartTLS does not read: ${(error as Error).message}`);
  }
  if (answer.resultCode === 0) return;
  const said = `result code ${answer.resultCode}${answer.diagnostic ? `, "${answer.diagnostic.slice(0, 120)}"` : ''}`;
  // protocolError (2) and unavailable (52) are how servers without TLS set up refuse it.
  throw new StartTlsError(answer.resultCode === 2 || answer.resultCode === 52 ? 'not-offered' : 'refused', `the LDAP server refused StartTLS (${said})`);
}

/** Length 8, then the SSLRequest code 80877103. */
export const POSTGRES_SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

export async function postgres(c: PlainConversation): Promise<void> {
  c.write(POSTGRES_SSL_REQUEST);
  const [answer] = await c.readBytes(1);
  if (answer === 0x53) return; // 'S'
  if (answer === 0x4e) throw new StartTlsError('not-offered', "the PostgreSQL server answered the SSLRequest with 'N': SSL is off on this server (ssl = off)");
  if (answer === 0x45) throw new StartTlsError('refused', 'the PostgreSQL server answered the SSLRequest with an error message (a server older than 7.2?)');
  throw new StartTlsError('unexpected', `the answer to a PostgreSQL SSLRequest is byte 0x${(answer ?? 0).toString(16)}, not S or N`);
}

const CLIENT_LONG_PASSWORD = 0x1;
const CLIENT_PROTOCOL_41 = 0x200;
export const CLIENT_SSL = 0x800;
const CLIENT_SECURE_CONNECTION = 0x8000;

/** MySQL's initial handshake (protocol 10): server version and capability flags, or its error packet. */
export function readMysqlGreeting(payload: Buffer): { version: string; capabilities: number } | { error: string } {
  if (payload[0] === 0xff) {
    const message = payload.subarray(3).toString('utf8').replace(/^#[0-9A-Z]{5}/, '');
    return { error: `MySQL error ${payload.readUInt16LE(1)}: ${message.slice(0, 160)}` };
  }
  if (payload[0] !== 0x0a) throw new RangeError(`MySQL protocol ${payload[0]}, not 10`);
  const nul = payload.indexOf(0, 1);
  if (nul === -1) throw new RangeError('MySQL greeting without a version');
  const at = nul + 1 + 4 + 8 + 1;
  if (payload.length < at + 2) throw new RangeError('short MySQL greeting');
  let capabilities = payload.readUInt16LE(at);
  if (payload.length >= at + 7) capabilities |= payload.readUInt16LE(at + 5) << 16;
  return { version: payload.subarray(1, nul).toString('latin1'), capabilities };
}

export async function mysql(c: PlainConversation): Promise<void> {
  const header = await c.readBytes(4);
  const length = header.readUIntLE(0, 3);
  if (length > 16 * 1024) throw new StartTlsError('unexpected', `a MySQL greeting of ${length} bytes: not a MySQL server?`);
  let greeting: ReturnType<typeof readMysqlGreeting>;
  try {
    greeting = readMysqlGreeting(await c.readBytes(length));
  } catch (error) {
    throw new StartTlsError('unexpected', `not a MySQL greeting: ${(error as Error).message}`);
  }
  if ('error' in greeting) throw new StartTlsError('refused', `the MySQL server refused the connection: ${greeting.error}`);
  c.banner = `MySQL ${greeting.version}`;
  if ((greeting.capabilities & CLIENT_SSL) === 0) throw new StartTlsError('not-offered', `the MySQL server ${greeting.version} does not offer SSL (no CLIENT_SSL capability: have_ssl is off)`, c.banner);
  const request = Buffer.alloc(4 + 32);
  request.writeUIntLE(32, 0, 3);
  request[3] = (header[3] ?? 0) + 1;
  request.writeUInt32LE(CLIENT_LONG_PASSWORD | CLIENT_PROTOCOL_41 | CLIENT_SSL | CLIENT_SECURE_CONNECTION, 4);
  request.writeUInt32LE(16 * 1024 * 1024, 8);
  request[12] = 0x21; // utf8_general_ci
  c.write(request);
}
