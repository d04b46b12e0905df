// How the server side of a handshake ended, from the error node:tls (OpenSSL) raised. An alert the
// client sent carries its number in the message ("SSL alert number 48"); the server's own refusals
// have their OpenSSL reason codes. The listener's throw-away certificate is expected to be refused:
// those alerts are `client-rejected-certificate`, not a failure of the client.
import type { ListenOutcome } from '../../rules/listen/signals.js';
import { alertName } from '../probe/tls-constants.js';

export type { ListenOutcome };

/** Alerts a client sends when it does not accept the server's certificate (RFC 8446 §6.2). */
const CERTIFICATE_ALERTS = new Set([42, 43, 44, 45, 46, 48]);

export function classifyError(error: NodeJS.ErrnoException): { outcome: ListenOutcome; detail: string } {
  const code = error.code ?? '';
  const message = error.message ?? '';
  const alert = /SSL alert number (\d+)/i.exec(message);
  if (alert) {
    const number = Number(alert[1]);
    const name = alertName(number);
    if (CERTIFICATE_ALERTS.has(number)) return { outcome: 'client-rejected-certificate', detail: name };
    if (number === 70) return { outcome: 'no-shared-version', detail: `client sent ${name}` };
    if (number === 40 || number === 71) return { outcome: 'client-alert', detail: name };
    return { outcome: 'client-alert', detail: name };
  }
  if (/UNSUPPORTED_PROTOCOL|VERSION_TOO_LOW|VERSION_TOO_HIGH|WRONG_VERSION_NUMBER|UNKNOWN_PROTOCOL/i.test(code) || /unsupported protocol|version too low|wrong version number/i.test(message)) {
    return { outcome: 'no-shared-version', detail: code || message };
  }
  if (/NO_SHARED_CIPHER/i.test(code) || /no shared cipher/i.test(message)) return { outcome: 'no-shared-cipher', detail: code || 'no shared cipher' };
  if (/NO_SUITABLE_KEY_SHARE|NO_SHARED_GROUP|UNSUPPORTED_ELLIPTIC_CURVE/i.test(code)) return { outcome: 'no-shared-group', detail: code };
  if (/NO_SUITABLE_SIGNATURE_ALGORITHM|NO_SHARED_SIGNATURE_ALGORITHMS/i.test(code)) return { outcome: 'no-shared-sigalg', detail: code };
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/i.test(message)) return { outcome: 'client-closed', detail: code || 'socket hang up' };
  return { outcome: 'error', detail: code || message.slice(0, 200) };
}
