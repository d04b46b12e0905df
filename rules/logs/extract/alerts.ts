// TLS alerts appear in many spellings: OpenSSL reason strings ("tlsv1 alert unknown ca"), OpenSSL
// state dumps ("SSL3 alert read:fatal:unknown CA"), alert numbers ("SSL alert number 48"), Java
// ("Received fatal alert: unknown_ca") and Go ("remote error: tls: unknown certificate authority").
// They are folded into one signal per alert and direction, so rules say "alert-received.unknown_ca"
// once instead of five times.

/** RFC 8446 / RFC 5246 alert descriptions, by number. */
export const ALERTS: Readonly<Record<number, string>> = {
  0: 'close_notify', 10: 'unexpected_message', 20: 'bad_record_mac', 21: 'decryption_failed',
  22: 'record_overflow', 30: 'decompression_failure', 40: 'handshake_failure', 41: 'no_certificate',
  42: 'bad_certificate', 43: 'unsupported_certificate', 44: 'certificate_revoked',
  45: 'certificate_expired', 46: 'certificate_unknown', 47: 'illegal_parameter', 48: 'unknown_ca',
  49: 'access_denied', 50: 'decode_error', 51: 'decrypt_error', 60: 'export_restriction',
  70: 'protocol_version', 71: 'insufficient_security', 80: 'internal_error',
  86: 'inappropriate_fallback', 90: 'user_canceled', 100: 'no_renegotiation',
  109: 'missing_extension', 110: 'unsupported_extension', 111: 'certificate_unobtainable',
  112: 'unrecognized_name', 113: 'bad_certificate_status_response', 114: 'bad_certificate_hash_value',
  115: 'unknown_psk_identity', 116: 'certificate_required', 120: 'no_application_protocol',
};
const ALERT_NAMES = new Set(Object.values(ALERTS));

// Human spellings (OpenSSL's SSL_alert_desc_string_long, Go's alert strings) that do not fold to the
// RFC name by replacing spaces with underscores.
const SPELLINGS: Readonly<Record<string, string>> = {
  'unknown ca': 'unknown_ca',
  'unknown certificate authority': 'unknown_ca',
  'bad certificate': 'bad_certificate',
  'handshake failure': 'handshake_failure',
  'protocol version not supported': 'protocol_version',
  'error decrypting message': 'decrypt_error',
  'error decoding message': 'decode_error',
  'certificate required': 'certificate_required',
  'unsupported certificate': 'unsupported_certificate',
  'no application protocol': 'no_application_protocol',
  'unrecognized name': 'unrecognized_name',
  // .NET TlsAlertMessage and rustls AlertDescription names, once uncamelled.
  'unsupported cert': 'unsupported_certificate',
  'unsupported ext': 'unsupported_extension',
  'bad record mac': 'bad_record_mac',
  'certificate expired': 'certificate_expired',
  // Go's crypto/tls alert strings.
  'expired certificate': 'certificate_expired',
  'revoked certificate': 'certificate_revoked',
  'unknown certificate': 'certificate_unknown',
  'insufficient security level': 'insufficient_security',
  'unknown psk identity': 'unknown_psk_identity',
  'inappropriate fallback': 'inappropriate_fallback',
};

export type AlertDirection = 'received' | 'sent';
export interface AlertSeen {
  /** As the writer saw it, or (from-client / from-server) who sent it when the line names the sender. */
  readonly direction: AlertDirection | 'from-client' | 'from-server';
  readonly name: string;
}

export function alertSignal(alert: AlertSeen): string {
  return `alert-${alert.direction}.${alert.name}`;
}

/** Every signal the alert extractor can emit: rules may reference them like signature signals. */
export const ALERT_SIGNALS: readonly string[] = [...ALERT_NAMES].flatMap((name) => [
  `alert-received.${name}`,
  `alert-sent.${name}`,
]);

/**
 * Who sent the alert, once the side that wrote the line is known: "received by a client" and "sent by a
 * server" are the same event (the server refused something of the client's), so rules say it once:
 * `alert-from-server.unknown_ca` (the server rejected the client's certificate) or
 * `alert-from-client.unknown_ca` (the client rejected the server's).
 */
export const ALERT_SIDE_SIGNALS: readonly string[] = [...ALERT_NAMES].flatMap((name) => [
  `alert-from-server.${name}`,
  `alert-from-client.${name}`,
]);

/** The alert-from-* signals that `signals` (alert-received.* / alert-sent.*) imply when the writer's side is known. */
export function alertSideSignals(signals: Iterable<string>, vantage: 'server' | 'client' | 'unknown'): string[] {
  if (vantage === 'unknown') return [];
  const out: string[] = [];
  for (const signal of signals) {
    if (!signal.startsWith('alert-')) continue;
    const received = signal.startsWith('alert-received.');
    if (!received && !signal.startsWith('alert-sent.')) continue;
    const name = signal.slice(received ? 15 : 11);
    // A client receives what the server sent; a server receives what the client sent.
    const sender = received === (vantage === 'client') ? 'server' : 'client';
    out.push(`alert-from-${sender}.${name}`);
  }
  return out;
}

/** Literals that must occur in a line before the alert patterns are tried. */
// '.erl:' because old Erlang/OTP names the alert only as 'ssl_handshake.erl:1401:Fatal error: unknown ca'.
export const ALERT_LITERALS = ['alert', 'remote error:', 'fatal error code is', '.erl:', 'description: ', 'unrecognized name', 'crypto_error'] as const;

function normaliseName(raw: string): string | undefined {
  const trimmed = raw.trim();
  const text = (/[a-z][A-Z]/.test(trimmed) ? uncamel(trimmed) : trimmed).toLowerCase();
  const spelled = SPELLINGS[text];
  if (spelled) return spelled;
  const snake = text.replace(/[\s-]+/g, '_');
  if (ALERT_NAMES.has(snake)) return snake;
  // A Java trace whose line breaks were lost glues the next frame's "at" on: "protocol_versionat".
  return snake.endsWith('at') && ALERT_NAMES.has(snake.slice(0, -2)) ? snake.slice(0, -2) : undefined;
}

// Each pattern is linear: literal anchors, bounded character classes, no nested quantifiers. Who
// wrote the line is not known here; a pattern only says whether that writer received or sent the alert.
const PATTERNS: ReadonlyArray<{ re: RegExp; direction: AlertDirection | 'from-group' }> = [
  // OpenSSL reason strings: raised when the alert is received from the peer.
  { re: /\b(?:sslv3|tlsv1|tlsv13) alert ([a-z ]{3,40}?)(?=$|[:)\],;'"]| \(| - )/gi, direction: 'received' },
  // OpenSSL 3.2+ spells the same reasons "ssl/tls alert certificate unknown".
  { re: /\bssl\/tls alert ([a-z ]{3,40}?)(?=$|[:)\],;'"]| \(| - )/gi, direction: 'received' },
  // The same as reason macros (Python's [SSL: TLSV1_ALERT_UNKNOWN_CA], BoringSSL's OPENSSL_internal:...).
  { re: /\b(?:SSLV3|TLSV1|TLSV13)_ALERT_([A-Z_]{3,40})\b/g, direction: 'received' },
  // OpenSSL state callback output of s_client / s_server / apache: read = received, write = sent.
  { re: /\b(?:SSL3?|TLS) [Aa]lert (read|write):(?:fatal|warning):([A-Za-z ]{3,40})/g, direction: 'from-group' },
  // Java JSSE, and JDK 8's -Djavax.net.debug (SEND = sent, RECV = received).
  { re: /\bReceived (?:fatal|warning) alert: {1,3}([a-z_]{3,40})/g, direction: 'received' },
  { re: /\b(SEND|RECV) (?:TLSv1(?:\.[0-3])?|SSLv3) ALERT: {1,3}(?:fatal|warning), (?:description = )?([a-z_]{3,40})/g, direction: 'from-group' },
  // Go crypto/tls (older releases leave out the "tls: ").
  { re: /\bremote error: (?:tls: )?([a-z ]{3,40})/g, direction: 'received' },
  // .NET (TlsAlertMessage names) and rustls (AlertDescription names): CamelCase.
  { re: /\bremote party (?:has )?sent (?:a )?TLS alert:? '?([A-Za-z]{3,40})'?/g, direction: 'received' },
  { re: /\breceived fatal alert: ([A-Z][A-Za-z]{2,40})\b/g, direction: 'received' },
  { re: /\bSending fatal alert ([A-Z][A-Za-z]{2,40})\b/g, direction: 'sent' },
  // Erlang/OTP ssl: "received SERVER ALERT: Fatal - Unknown CA", "generated CLIENT ALERT: Fatal - ...";
  // older releases: "ssl_alert.erl:88:Fatal error: unknown ca" decodes one received, a *_handshake.erl
  // location is where this side made one; rustls' "AlertReceived(BadCertificate)".
  { re: /\b(received|generated) (?:CLIENT|SERVER) ALERT: (?:Fatal|Warning) - ([A-Za-z ]{3,40}?)(?=$|[\n\\'"{,]| - )/g, direction: 'from-group' },
  // The same report's tuple names the alert in snake case before the words, which a wrapped paste may cut.
  { re: /\{([a-z_]{3,40}),\s?"TLS (?:server|client): In state [a-z_]{1,40} at [a-z_0-9]{1,40}\.erl:\d{1,5} generated/g, direction: 'sent' },
  { re: /\{([a-z_]{3,40}),\s?"TLS (?:server|client): In state [a-z_]{1,40} at [a-z_0-9]{1,40}\.erl:\d{1,5} received/g, direction: 'received' },
  { re: /\bssl_alert\.erl:\d{1,5}:Fatal error: ([a-z ]{3,40}?)(?=$|[\n\\'",]| - )/g, direction: 'received' },
  { re: /_handshake\.erl:\d{1,5}:Fatal error: ([a-z ]{3,40}?)(?=$|[\n\\'",]| - )/g, direction: 'sent' },
  { re: /\bAlertReceived\(([A-Z][A-Za-z]{2,40})\)/g, direction: 'received' },
  // OpenSSL's one reason string without the word alert: SSL_R_TLSV1_UNRECOGNIZED_NAME.
  { re: /\btlsv1 (unrecognized name)\b/gi, direction: 'received' },
  // BouncyCastle JSSE: "raised fatal(2) certificate_unknown(46) alert" is this side's, "received" the peer's.
  { re: /\braised (?:fatal|warning)\(\d\) ([a-z_]{3,40})\(\d{1,3}\) alert/g, direction: 'sent' },
  { re: /\breceived (?:fatal|warning)\(\d\) ([a-z_]{3,40})\(\d{1,3}\) alert/g, direction: 'received' },
  // JDK 8's SSLProtocolException "handshake alert:  unrecognized_name" (a warning alert it received).
  { re: /\bhandshake alert: {1,3}([a-z_]{3,40})/g, direction: 'received' },
  // Ktor's own TLS client: "Received alert during handshake. Level: FATAL, code: HandshakeFailure".
  { re: /\bReceived alert during handshake\. Level: (?:FATAL|WARNING), code: ([A-Za-z]{3,40})/g, direction: 'received' },
  // Haskell tls: Error_Packet_unexpected "Alert13 [(AlertLevel_Fatal,UnknownCa)]".
  { re: /\bAlert(?:1[23])? \[\(AlertLevel_(?:Fatal|Warning),([A-Za-z]{3,40})\)/g, direction: 'received' },
  // Wireshark / tshark text: the packet list's "Alert (Level: Fatal, Description: Handshake Failure)".
  // A capture is neither side's log, so the alert stays "received" with no side named.
  { re: /\bAlert \(Level: (?:Fatal|Warning), Description: ([A-Za-z ]{3,40})\)/g, direction: 'received' },
  // openssl s_client/s_server -msg and -trace: ">>>" is what this side wrote, "<<<" what it read.
  { re: /(<<<|>>>) (?:TLS 1\.[0-3]|SSL 3\.0|DTLS 1\.[02])[^,\n]{0,20}, Alert \[length [0-9a-fA-F]{4}\], (?:fatal|warning) ([a-z_]{3,40})/g, direction: 'from-group' },
  // axTLS's debug output (ESP8266 WiFiClientSecure): "Alert: handshake failure" is the peer's.
  { re: /^\s{0,8}Alert: ([a-z ]{3,40}?)\s*(?=$|\*)/g, direction: 'received' },
];
// Alert numbers: OpenSSL's "SSL alert number 48", Windows Schannel's System events 36887 ("fatal alert
// code is N": received) and 36888 ("fatal error code is N": sent), PolarSSL / mbedTLS, GnuTLS debug,
// and curl -v ("(IN), TLS alert, unknown CA (560)": 512 + the alert number).
// "CLIENT ALERT: Fatal - Certificate Unknown" with no verb before it names the side that sent it.
const BY_SENDER = /(?<!received |generated )\b(CLIENT|SERVER) ALERT: (?:Fatal|Warning) - ([A-Za-z ]{3,40}?)(?=$|[\n\\'"{,]| - )/g;

const NUMBERED: ReadonlyArray<{ re: RegExp; direction: AlertDirection | 'from-group'; offset?: number }> = [
  { re: /\bSSL alert number (\d{1,3})\b/g, direction: 'received' },
  { re: /\bfatal alert code is (\d{1,3})\b/g, direction: 'received' },
  // BusyBox wget / ssl_client: "TLS error from peer (alert code 40)".
  { re: /\bSSL V3 alert (\d{1,3}) received\b/g, direction: 'received' },
  { re: /\bTLS error from peer \(alert code (\d{1,3})\)/g, direction: 'received' },
  { re: /\bfatal error code is (\d{1,3})\b/g, direction: 'sent' },
  { re: /\bfatal alert message \(msg (\d{1,3})\)/g, direction: 'received' },
  { re: /\bgot an alert message, type: \[\d:(\d{1,3})\]/g, direction: 'received' },
  { re: /\b[Rr]eceived alert \[(\d{1,3})\]/g, direction: 'received' },
  { re: /\bReceived alert '(\d{1,3})'/g, direction: 'received' },
  // Windows Server 2008-2012 Schannel events: "The following fatal alert was received: 40."
  { re: /\bfollowing fatal alert was received: (\d{1,3})\b/g, direction: 'received' },
  { re: /\bfollowing fatal alert was generated: (\d{1,3})\b/g, direction: 'sent' },
  { re: /\((IN|OUT)\), TLS alert, [A-Za-z ]{2,40} \((\d{3})\)/g, direction: 'from-group', offset: 512 },
  // OpenSSL 1.0 without its string tables: a received alert is reason 1000 + its number ("reason(1120)").
  { re: /(?:SSL routines|ssl3_read_bytes|SSL23_GET_SERVER_HELLO|ssl3_get_server_hello)[^\n]{0,60}:reason\((1[01]\d{2})\)/g, direction: 'received', offset: 1000 },
];

/** "HandshakeFailure" -> "handshake failure"; "UnknownCA" -> "unknown ca". */
function uncamel(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
}

export function extractAlerts(line: string): AlertSeen[] {
  const seen: AlertSeen[] = [];
  const add = (direction: AlertSeen['direction'], raw: string | undefined): void => {
    const name = raw === undefined ? undefined : normaliseName(raw);
    if (name && !seen.some((a) => a.direction === direction && a.name === name)) seen.push({ direction, name });
  };
  for (const { re, direction } of PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(line); m; m = re.exec(line)) {
      if (direction === 'from-group') add(RECEIVING.has((m[1] ?? '').toLowerCase()) ? 'received' : 'sent', m[2]);
      else add(direction, m[1]);
    }
  }
  BY_SENDER.lastIndex = 0;
  for (let m = BY_SENDER.exec(line); m; m = BY_SENDER.exec(line)) add(m[1] === 'CLIENT' ? 'from-client' : 'from-server', m[2]);
  for (const { re, direction, offset = 0 } of NUMBERED) {
    re.lastIndex = 0;
    for (let m = re.exec(line); m; m = re.exec(line)) {
      const number = Number(direction === 'from-group' ? m[2] : m[1]) - offset;
      const name = ALERTS[number]?.replace(/_/g, ' ');
      add(direction === 'from-group' ? (RECEIVING.has((m[1] ?? '').toLowerCase()) ? 'received' : 'sent') : direction, name);
    }
  }
  // QUIC: a TLS alert travels as CRYPTO_ERROR 0x100 + the alert number ("CRYPTO_ERROR (0x12a)": 42).
  QUIC_CRYPTO_ERROR.lastIndex = 0;
  for (let m = QUIC_CRYPTO_ERROR.exec(line); m; m = QUIC_CRYPTO_ERROR.exec(line)) {
    const name = ALERTS[Number.parseInt(m[1] ?? '', 16)];
    if (name) add('received', name.replace(/_/g, ' '));
  }
  // Wireshark's packet details: "Description: Unknown CA (48)", taken only when the name is the
  // number's (other protocols' dissections have Description lines too).
  WIRESHARK_DETAIL.lastIndex = 0;
  for (let m = WIRESHARK_DETAIL.exec(line); m; m = WIRESHARK_DETAIL.exec(line)) {
    const named = normaliseName(m[1] ?? '');
    if (named && ALERTS[Number(m[2])] === named) add('received', named.replace(/_/g, ' '));
  }
  return seen;
}

const QUIC_CRYPTO_ERROR = /\bCRYPTO_ERROR \(0x1([0-9a-fA-F]{2})\)/g;
const WIRESHARK_DETAIL = /\bDescription: ([A-Z][A-Za-z ]{2,40}) \((\d{1,3})\)/g;

/** The words that mean "this writer received it" in the patterns with a direction group. */
const RECEIVING = new Set(['read', 'recv', 'received', 'in', '<<<']);
