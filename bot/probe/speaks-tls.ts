// First contact: one TCP connection carrying a broad ClientHello (TLS 1.0..1.3, every known suite).
// Its connect time is the TCP step; its answer says whether the port speaks TLS at all.
import { buildClientHello } from './client-hello.js';
import { CIPHER_SUITE_ROWS } from './cipher-suites.data.js';
import { identifyQuietService, serviceFromGreeting } from './identify-service.js';
import { rawHandshake, type RawHandshakeResult } from './raw-handshake.js';
import type { SpeaksTlsReport, TcpReport } from './report-types.js';
import type { StartTlsProtocol } from './starttls/schemes.js';

export interface FirstContact {
  tcp: TcpReport;
  speaksTls: SpeaksTlsReport;
  raw: RawHandshakeResult;
}

/** TLS 1.3 suites first, then the rest: a 1.3 server answers 1.3, an old one picks what it knows. */
function broadSuites(): number[] {
  const all = CIPHER_SUITE_ROWS.map((r) => r[0]);
  return [...all.filter((c) => c >> 8 === 0x13), ...all.filter((c) => c >> 8 !== 0x13)];
}

export function classifyPlaintext(head: Buffer): Pick<SpeaksTlsReport, 'spoke' | 'httpStatusLine' | 'banner'> {
  const text = head.toString('latin1');
  const status = /^HTTP\/\d(?:\.\d)? \d{3}[^\r\n]*/.exec(text);
  if (status) return { spoke: 'http', httpStatusLine: status[0].slice(0, 120) };
  const printable = [...head].filter((b) => (b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x0d || b === 0x09).length;
  const banner = text.replace(/[^\x20-\x7e]+/g, ' ').trim().slice(0, 120);
  if (head.length > 0 && printable / head.length > 0.9) return { spoke: 'plaintext', banner };
  return { spoke: 'binary', banner };
}

/** How long asking a silent port whether it is PostgreSQL or LDAP may take. */
const IDENTIFY_MS = 2000;

export async function firstContact(address: string, port: number, servername: string | undefined, timeoutMs: number, starttls?: StartTlsProtocol): Promise<FirstContact> {
  const started = Date.now();
  const hello = buildClientHello({
    protocol: 'TLSv1.3',
    suites: broadSuites(),
    ...(servername ? { servername } : {}),
    alsoOfferVersions: ['TLSv1.2', 'TLSv1.1', 'TLSv1'],
  });
  const raw = await rawHandshake({ address, port, hello, until: 'server-hello', timeoutMs, ...(starttls ? { starttls } : {}) });
  const tcp: TcpReport = { outcome: raw.tcp, ms: raw.tcp === 'connected' ? raw.connectMs : raw.ms };
  if (raw.tcp !== 'connected' && raw.errorCode) tcp.errorCode = raw.errorCode;
  if (raw.tcp !== 'connected') return { tcp, raw, speaksTls: { value: null, spoke: 'not-tested' } };
  // STARTTLS refused: the server speaks its protocol but would not start TLS. Nothing TLS to test.
  if (starttls && raw.starttls) {
    const speaksTls: SpeaksTlsReport = { value: false, spoke: starttls, starttlsFailure: raw.starttls };
    if (raw.starttls.banner) speaksTls.banner = raw.starttls.banner;
    return { tcp, raw, speaksTls };
  }
  let speaksTls: SpeaksTlsReport;
  switch (raw.outcome) {
    case 'server-hello':
      speaksTls = { value: true, spoke: 'tls' };
      if (raw.serverHello) speaksTls.preferredVersion = raw.serverHello.version;
      break;
    case 'alert':
      // An alert record is TLS even when it refuses everything we offered.
      speaksTls = { value: true, spoke: 'tls' };
      break;
    case 'not-tls': {
      const head = raw.notTlsHead ?? Buffer.alloc(0);
      const c = classifyPlaintext(head);
      speaksTls = { value: false, ...c };
      if (c.spoke === 'http' || c.spoke === 'plaintext') speaksTls.clientFailureCause = 'tls-on-plain-port';
      // A protocol that greets first (SMTP, IMAP, POP3, FTP, MySQL) and has a TLS upgrade.
      const service = starttls ? undefined : serviceFromGreeting(head, port);
      if (service) {
        speaksTls.spoke = service.protocol;
        speaksTls.service = service;
        speaksTls.banner = service.banner;
        speaksTls.clientFailureCause = 'tls-on-plain-port';
      }
      break;
    }
    case 'timeout':
      speaksTls = { value: null, spoke: 'silent' };
      break;
    case 'reset':
      speaksTls = { value: null, spoke: 'reset' };
      break;
    case 'closed':
      speaksTls = { value: null, spoke: 'closed' };
      break;
  }
  // PostgreSQL and LDAP drop a ClientHello in silence: ask them in their own words.
  if (!starttls && speaksTls.value === null) {
    const service = await identifyQuietService(address, port, Math.min(IDENTIFY_MS, Math.max(1, timeoutMs - (Date.now() - started))));
    if (service) speaksTls = { value: false, spoke: service.protocol, service, clientFailureCause: 'tls-on-plain-port', banner: service.banner };
  }
  return { tcp, raw, speaksTls };
}
