import { describe, expect, it } from 'vitest';
import { createDiagnoser } from '../../../rules/index.js';
import { loadPublicFiles, pasteOf, type PublicRecord } from '../../helpers/public-corpus.js';

// Wordings the fourth corpus round found unread (test/fixtures/logs/public/README.md), each a verbatim
// paste picked by its thread's URL. Localized literals are matched with ASCII case folding only, which
// is why rules/catalog/localized-messages.json starts them mid-sentence.
const diagnoser = createDiagnoser();
const records = loadPublicFiles(['windows-localized.jsonl', 'mobile-iot.jsonl', 'mail-ftp-vpn.jsonl', 'ibm-mainframe.jsonl']);

function paste(url: string): PublicRecord {
  return pasteOf(records, url);
}

describe('Windows and .NET in the languages Windows ships', () => {
  it.each([
    ['zh: could not create SSL/TLS secure channel', 'https://github.com/ferventdesert/Hawk/issues/65', 'protocol-mismatch'],
    ['fr: the same, inside a proxy JSON error', 'https://github.com/Esri/resource-proxy/issues/566', 'protocol-mismatch'],
    ['zh: no trust relationship, remote certificate invalid', 'https://github.com/2dust/v2rayN/issues/1103', 'server-cert-untrusted'],
    ['ja: no trust relationship', 'https://atmarkit.itmedia.co.jp/ait/spv/0904/23/news124.html', 'server-cert-untrusted'],
    ['fr: SqlClient, chain from an authority not trusted', 'https://github.com/MicrosoftDocs/azure-docs.fr-fr/issues/749', 'server-cert-untrusted'],
    ['zh: the target machine actively refused it', 'https://github.com/2dust/v2rayN/issues/3938', 'connection-refused'],
    ['ru: the remote name could not be resolved', 'https://github.com/tModLoader/tModLoader/issues/715', 'dns-failure'],
    ['WinRM: the certificate could not be checked for revocation', 'https://github.com/microsoft/azure-pipelines-tasks/issues/1774', 'revocation-check-failed'],
  ])('%s', async (_name, url, cause) => {
    expect((await diagnoser.diagnoseText(paste(url).text)).cause).toBe(cause);
  });
});

describe('embedded, mobile and MQTT clients', () => {
  it.each([
    ["mosquitto's own host name check before OpenSSL's verify failure", 'https://github.com/dotnet/MQTTnet/issues/1864', 'server-cert-hostname-mismatch'],
    ["mbedTLS's -0x52 from mbedtls_net_connect is a name that does not resolve", 'https://github.com/aws/aws-iot-device-sdk-embedded-C/issues/237', 'dns-failure'],
    ["OkHttp's 'Hostname ... not verified'", 'https://github.com/AllanWang/Frost-for-Facebook/issues/1070', 'server-cert-hostname-mismatch'],
    ['a handshake_failure alert in SSL23_GET_SERVER_HELLO answered the ClientHello', 'https://github.com/walleth/walleth/issues/353', 'no-shared-cipher'],
    ["MQTT's CONNACK 'Connection Refused: not authorised' is the broker's login, not TCP", 'https://github.com/iegomez/mosquitto-go-auth/issues/222', 'unknown'],
  ])('%s', async (_name, url, cause) => {
    expect((await diagnoser.diagnoseText(paste(url).text)).cause).toBe(cause);
  });
});

describe('mail, chat and middleware', () => {
  it.each([
    ["MailKit's listed 'unable to get certificate CRL'", 'https://github.com/streetwriters/notesnook-sync-server/issues/34', 'revocation-check-failed'],
    ["MailKit's advice names self-signed certificates; the inner exception says the port is not TLS", 'https://github.com/bitwarden/server/issues/451', 'tls-on-plain-port'],
    ["Thunderbird: STARTTLS not advertised", 'https://github.com/mail-in-a-box/mailinabox/issues/1535', 'tls-on-plain-port'],
    ['msmtp: certificate 2 of 4 has expired', 'https://github.com/marlam/msmtp/issues/23', 'server-cert-expired'],
    ["Prosody judging an incoming server's certificate", 'https://github.com/prosody/prosody-docker/pull/30', 'client-cert-untrusted'],
    ['Dovecot: a reset after a failed login is not TLS', 'https://github.com/crowdsecurity/hub/issues/1160', 'unknown'],
    ['MQ listener reading bytes that are not MQ', 'https://github.com/ibm-messaging/mq-container/issues/519', 'tls-on-plain-port'],
    ["DataPower's backside connection failure with no SSL line", 'https://www.ibm.com/support/pages/ibm-datapower-gateways-understanding-failed-establish-backside-connection-error-message', 'connection-refused'],
    ["Tomcat's inbound thread received certificate_unknown (two spaces after 'alert:')", 'https://github.com/zowe/community/issues/2405', 'server-cert-untrusted'],
  ])('%s', async (_name, url, cause) => {
    expect((await diagnoser.diagnoseText(paste(url).text)).cause).toBe(cause);
  });
});
