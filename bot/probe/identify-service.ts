// Which protocol answered when a plain TLS probe met something else. Protocols that speak first
// (SMTP, FTP, IMAP, POP3, MySQL) are known by their greeting; PostgreSQL and LDAP wait for the
// client and drop a ClientHello without a word, so a port that closed on it is asked once in each
// of their languages (an SSLRequest, an LDAP StartTLS request). The report then says which
// protocol it is and which scheme probes its TLS, instead of a TLS verdict.
import { readLdapExtendedResponse, readMysqlGreeting, LDAP_START_TLS_REQUEST, POSTGRES_SSL_REQUEST } from './starttls/binary-protocols.js';
import type { StartTlsProtocol } from './starttls/schemes.js';
import { openTransport } from './transport.js';

export interface ServiceFound {
  protocol: StartTlsProtocol;
  /** The greeting or answer that gave it away (printable, at most 120 characters). */
  banner: string;
}

function printable(b: Buffer): string {
  return b.toString('latin1').replace(/[^\x20-\x7e]+/g, ' ').trim().slice(0, 120);
}

/** A greeting read before (or instead of) any TLS answer. `port` breaks the SMTP/FTP tie of a bare "220". */
export function serviceFromGreeting(head: Buffer, port: number): ServiceFound | undefined {
  const text = head.toString('latin1');
  const firstLine = printable(Buffer.from(text.split(/\r?\n/)[0] ?? '', 'latin1'));
  if (/^\* (OK|PREAUTH)\b/i.test(text)) return { protocol: 'imap', banner: firstLine };
  if (/^\+OK\b/.test(text)) return { protocol: 'pop3', banner: firstLine };
  if (/^220[ -]/.test(text)) {
    if (/\bftp\b|ftpd|filezilla/i.test(text) || port === 21) return { protocol: 'ftp', banner: firstLine };
    return { protocol: 'smtp', banner: firstLine };
  }
  // MySQL / MariaDB: a length-prefixed packet with sequence 0, then protocol 10 or an error packet.
  if (head.length >= 8 && head[3] === 0 && (head[4] === 0x0a || head[4] === 0xff)) {
    try {
      const length = head.readUIntLE(0, 3);
      const greeting = readMysqlGreeting(head.subarray(4, 4 + length));
      return { protocol: 'mysql', banner: 'error' in greeting ? greeting.error : `MySQL ${greeting.version}` };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Sends `request` on a fresh connection and collects what comes back within the time. */
async function ask(address: string, port: number, request: Buffer, timeoutMs: number): Promise<Buffer | undefined> {
  const opened = await openTransport({ address, port, timeoutMs });
  if (!opened.ok) return undefined;
  const socket = opened.socket;
  return new Promise<Buffer | undefined>((resolve) => {
    let got = Buffer.alloc(0);
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(got.length > 0 ? got : undefined);
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      got = Buffer.concat([got, chunk]);
      if (got.length >= 1024) done();
    });
    socket.on('close', done);
    socket.on('error', done);
    socket.write(request);
    // PostgreSQL answers one byte and waits: there is nothing more to wait for after it.
    setTimeout(() => got.length > 0 && done(), Math.min(300, timeoutMs));
  });
}

/** Asks a port that dropped a ClientHello whether it is PostgreSQL or LDAP. */
export async function identifyQuietService(address: string, port: number, timeoutMs: number): Promise<ServiceFound | undefined> {
  const [pg, ldap] = await Promise.all([ask(address, port, POSTGRES_SSL_REQUEST, timeoutMs), ask(address, port, LDAP_START_TLS_REQUEST, timeoutMs)]);
  if (pg && pg.length === 1 && (pg[0] === 0x53 || pg[0] === 0x4e)) {
    return { protocol: 'postgres', banner: `answered a PostgreSQL SSLRequest with '${String.fromCharCode(pg[0])}'` };
  }
  if (pg && pg[0] === 0x45 && /SFATAL|VFATAL|unsupported frontend protocol/.test(pg.toString('latin1'))) {
    return { protocol: 'postgres', banner: printable(pg.subarray(5)) };
  }
  if (ldap && ldap[0] === 0x30) {
    try {
      const answer = readLdapExtendedResponse(ldap);
      return { protocol: 'ldap', banner: `answered an LDAP StartTLS request (result code ${answer.resultCode})` };
    } catch {
      return undefined;
    }
  }
  return undefined;
}
