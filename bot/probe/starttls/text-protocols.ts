// The STARTTLS preambles of the line-based protocols: SMTP (RFC 3207), IMAP (RFC 9051 §6.2.1),
// POP3 (RFC 2595 §4) and FTP (RFC 4217 §4). Each reads the greeting, asks for TLS, and returns once
// the server said yes; a "no" is a StartTlsError that quotes the server.
import { PlainConversation, readCodedReply, StartTlsError } from './conversation.js';

/** The name the probe gives itself in EHLO: a reserved name (RFC 2606), never a real host. */
const EHLO_NAME = 'tls-triage.invalid';

export async function smtp(c: PlainConversation): Promise<void> {
  const greeting = await readCodedReply(c);
  if (greeting.code !== 220) throw new StartTlsError('refused', `the SMTP server's greeting is not 220: "${greeting.lines[0]}"`, c.banner);
  c.write(`EHLO ${EHLO_NAME}\r\n`);
  const ehlo = await readCodedReply(c);
  if (ehlo.code !== 250) throw new StartTlsError('refused', `the SMTP server refused EHLO: "${ehlo.lines[0]}"`, c.banner);
  if (!ehlo.lines.some((l) => /^250[ -]STARTTLS\b/i.test(l))) {
    throw new StartTlsError('not-offered', 'the SMTP server does not offer STARTTLS (not in its EHLO reply)', c.banner);
  }
  c.write('STARTTLS\r\n');
  const answer = await readCodedReply(c);
  if (answer.code !== 220) throw new StartTlsError('refused', `the SMTP server refused STARTTLS: "${answer.lines[0]}"`, c.banner);
}

export async function imap(c: PlainConversation): Promise<void> {
  const greeting = await c.readLine();
  if (/^\* PREAUTH\b/i.test(greeting)) throw new StartTlsError('not-offered', 'the IMAP server pre-authenticated the connection: STARTTLS is not allowed any more', c.banner);
  if (!/^\* OK\b/i.test(greeting)) throw new StartTlsError('refused', `the IMAP server's greeting is not "* OK": "${greeting.slice(0, 120)}"`, c.banner);
  c.write('a1 STARTTLS\r\n');
  for (let i = 0; i < 100; i++) {
    const line = await c.readLine();
    if (/^a1 OK\b/i.test(line)) return;
    if (/^a1 (NO|BAD)\b/i.test(line)) throw new StartTlsError('not-offered', `the IMAP server refused STARTTLS: "${line.slice(0, 120)}"`, c.banner);
  }
  throw new StartTlsError('unexpected', 'no tagged answer to STARTTLS from the IMAP server', c.banner);
}

export async function pop3(c: PlainConversation): Promise<void> {
  const greeting = await c.readLine();
  if (!/^\+OK\b/i.test(greeting)) throw new StartTlsError('refused', `the POP3 server's greeting is not "+OK": "${greeting.slice(0, 120)}"`, c.banner);
  c.write('STLS\r\n');
  const answer = await c.readLine();
  if (/^-ERR\b/i.test(answer)) throw new StartTlsError('not-offered', `the POP3 server refused STLS: "${answer.slice(0, 120)}"`, c.banner);
  if (!/^\+OK\b/i.test(answer)) throw new StartTlsError('unexpected', `unexpected answer to STLS: "${answer.slice(0, 120)}"`, c.banner);
}

export async function ftp(c: PlainConversation): Promise<void> {
  const greeting = await readCodedReply(c);
  if (greeting.code !== 220) throw new StartTlsError('refused', `the FTP server's greeting is not 220: "${greeting.lines[0]}"`, c.banner);
  c.write('AUTH TLS\r\n');
  const answer = await readCodedReply(c);
  if (answer.code >= 500) throw new StartTlsError('not-offered', `the FTP server refused AUTH TLS: "${answer.lines[0]}"`, c.banner);
  if (answer.code !== 234) throw new StartTlsError('unexpected', `unexpected answer to AUTH TLS: "${answer.lines[0]}"`, c.banner);
}
