// Small STARTTLS servers on 127.0.0.1 for the probe tests: each speaks its protocol's preamble in
// clear (SMTP, IMAP, POP3, FTP), then turns the same socket into a TLS server with node:tls. With
// `offer: false` it answers the upgrade request the way a server without TLS does.
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { TLSSocket, createSecureContext } from 'node:tls';
import type { Peer } from './servers.js';

export type TextProtocol = 'smtp' | 'imap' | 'pop3' | 'ftp';

interface Script {
  greeting: string;
  /** The answer to one line from the client; `upgrade` starts TLS after writing it. */
  answer(line: string, offer: boolean): { say: string; upgrade?: boolean } | undefined;
}

const SCRIPTS: Record<TextProtocol, Script> = {
  smtp: {
    greeting: '220 mail.starttls.test ESMTP tls-triage-test\r\n',
    answer: (line, offer) => {
      if (/^EHLO /i.test(line)) return { say: `250-mail.starttls.test\r\n250-PIPELINING\r\n${offer ? '250-STARTTLS\r\n' : ''}250 8BITMIME\r\n` };
      if (/^STARTTLS/i.test(line)) return offer ? { say: '220 2.0.0 Ready to start TLS\r\n', upgrade: true } : { say: '502 5.5.1 Error: command not implemented\r\n' };
      return { say: '500 5.5.2 Error: bad syntax\r\n' };
    },
  },
  imap: {
    greeting: '* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready\r\n',
    answer: (line, offer) => {
      const tag = line.split(' ')[0] ?? '*';
      if (/ STARTTLS$/i.test(line)) return offer ? { say: `${tag} OK Begin TLS negotiation now\r\n`, upgrade: true } : { say: `${tag} BAD Unknown command\r\n` };
      return { say: `${tag} BAD Error in IMAP command\r\n` };
    },
  },
  pop3: {
    greeting: '+OK POP3 server ready\r\n',
    answer: (line, offer) => (/^STLS/i.test(line) ? (offer ? { say: '+OK Begin TLS negotiation\r\n', upgrade: true } : { say: '-ERR Unknown command\r\n' }) : { say: '-ERR Unknown command\r\n' }),
  },
  ftp: {
    greeting: '220-Welcome to the test FTP service\r\n it has a multi-line greeting\r\n220 FTP server ready\r\n',
    answer: (line, offer) => (/^AUTH TLS/i.test(line) ? (offer ? { say: '234 AUTH TLS successful\r\n', upgrade: true } : { say: '502 Command not implemented\r\n' }) : { say: '500 Unknown command\r\n' }),
  },
};

export async function startStartTlsServer(protocol: TextProtocol, tls: { cert: string; key: string; minVersion?: 'TLSv1.2' | 'TLSv1.3' }, offer = true): Promise<Peer> {
  const script = SCRIPTS[protocol];
  const secureContext = createSecureContext({ cert: tls.cert, key: tls.key, ...(tls.minVersion ? { minVersion: tls.minVersion } : {}) });
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffer = '';
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString('latin1');
      for (let end = buffer.indexOf('\n'); end !== -1; end = buffer.indexOf('\n')) {
        const line = buffer.slice(0, end).replace(/\r$/, '');
        buffer = buffer.slice(end + 1);
        const reply = script.answer(line, offer);
        if (!reply) continue;
        socket.write(reply.say);
        if (reply.upgrade) {
          socket.off('data', onData);
          const secure = new TLSSocket(socket, { isServer: true, secureContext });
          secure.on('error', () => socket.destroy());
          secure.on('secure', () => secure.end());
          return;
        }
      }
    };
    socket.on('data', onData);
    socket.write(script.greeting);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
