// Reading a server's plaintext side of a STARTTLS preamble from a socket: lines (SMTP, IMAP, POP3,
// FTP) or a number of bytes (LDAP, PostgreSQL, MySQL), bounded in size and time. Once the preamble
// is done the reader lets go of the socket and hands back anything it read past it.
import type { Socket } from 'node:net';

/** A preamble's failure, said in the words of the protocol that answered. */
export class StartTlsError extends Error {
  constructor(
    readonly reason: 'not-offered' | 'refused' | 'unexpected' | 'closed' | 'timeout' | 'too-long',
    message: string,
    /** What the server said first (its greeting or banner), for the report. */
    readonly banner?: string,
  ) {
    super(message);
    this.name = 'StartTlsError';
  }
}

const MAX_PREAMBLE_BYTES = 64 * 1024;
const MAX_LINE = 4096;

export class PlainConversation {
  private buffer = Buffer.alloc(0);
  private total = 0;
  private ended: StartTlsError | undefined;
  private wake: (() => void) | undefined;
  private readonly onData = (chunk: Buffer): void => {
    this.total += chunk.length;
    this.buffer = Buffer.concat([this.buffer, chunk]);
    if (this.total > MAX_PREAMBLE_BYTES) this.ended = new StartTlsError('too-long', `the server sent more than ${MAX_PREAMBLE_BYTES} bytes before TLS`);
    this.wake?.();
  };
  private readonly onEnd = (): void => {
    this.ended ??= new StartTlsError('closed', 'the server closed the connection during the STARTTLS exchange');
    this.wake?.();
  };
  /** The first line the server sent (greeting), kept for reports. */
  banner: string | undefined;

  constructor(private readonly socket: Socket, private readonly deadline: number) {
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.on('error', this.onEnd);
  }

  private async waitFor<T>(take: () => T | undefined): Promise<T> {
    for (;;) {
      const got = take();
      if (got !== undefined) return got;
      if (this.ended) throw this.ended;
      const left = this.deadline - Date.now();
      if (left <= 0) throw new StartTlsError('timeout', 'the server did not answer the STARTTLS exchange in time', this.banner);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /** One line without its CRLF. */
  readLine(): Promise<string> {
    return this.waitFor(() => {
      const end = this.buffer.indexOf(0x0a);
      if (end === -1) {
        if (this.buffer.length > MAX_LINE) throw new StartTlsError('too-long', `a line of more than ${MAX_LINE} bytes before TLS`, this.banner);
        return undefined;
      }
      const line = this.buffer.subarray(0, end).toString('latin1').replace(/\r$/, '');
      this.buffer = this.buffer.subarray(end + 1);
      this.banner ??= line.slice(0, 200);
      return line;
    });
  }

  readBytes(n: number): Promise<Buffer> {
    return this.waitFor(() => {
      if (this.buffer.length < n) return undefined;
      const out = this.buffer.subarray(0, n);
      this.buffer = this.buffer.subarray(n);
      return Buffer.from(out);
    });
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** Stops reading; returns bytes received past the preamble (normally none). */
  release(): Buffer {
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    this.socket.off('error', this.onEnd);
    return this.buffer;
  }
}

/**
 * A reply of SMTP or FTP: one line "250 ...", or several from "250-..." to "250 ..." (FTP lets the
 * lines between be anything, RFC 959 §4.2). Gives the code and every line.
 */
export async function readCodedReply(c: PlainConversation): Promise<{ code: number; lines: string[] }> {
  const first = await c.readLine();
  const m = /^(\d{3})([ -]?)/.exec(first);
  if (!m) throw new StartTlsError('unexpected', `not an SMTP/FTP reply: "${first.slice(0, 80)}"`, c.banner);
  const lines = [first];
  if (m[2] !== '-') return { code: Number(m[1]), lines };
  for (let i = 0; i < 200; i++) {
    const line = await c.readLine();
    lines.push(line);
    if (line.startsWith(`${m[1]} `) || line === m[1]) return { code: Number(m[1]), lines };
  }
  throw new StartTlsError('too-long', 'a reply of more than 200 lines before TLS', c.banner);
}
