import type { Activity } from 'botbuilder';
import fc from 'fast-check';
import { routeEvent, toMessage as slackMessage, commandText, type SlackMessageEvent } from '../../adapters/slack/map.js';
import { stripTags, toMessage as teamsMessage } from '../../adapters/teams/to-message.js';
import { readCapture } from '../../bot/capture/read-capture.js';
import { inspectDer } from '../../bot/certificates/inspect.js';
import { readDerCertificates, readPemCertificates } from '../../bot/certificates/read.js';
import { TriageError } from '../../bot/errors.js';
import { readExportXml, readExportZip } from '../../bot/export/read.js';
import { addressToBigInt } from '../../bot/probe/address.js';
import { checkProbeTarget, parsePolicyEntry } from '../../bot/probe/policy.js';
import { parseTarget } from '../../bot/probe/target.js';
import { createDiagnoser, removePrivateKeys } from '../../rules/index.js';
import { bytesLike, excerpt, textLike } from './mutate.js';
import type { Seeds } from './seeds.js';

// What the fuzzer drives: every parser of untrusted input, each with its generator, its share of
// the inputs, and what it may answer. A TriageError (or a capture's format error) is a refusal,
// the right answer to garbage; any other exception is a crash. Some targets also check a property
// that must hold for every input (no loopback address passes the probe policy; tag stripping
// never grows a text).

export interface Target<T = unknown> {
  readonly name: string;
  readonly runs: number;
  arbitrary(seeds: Seeds): fc.Arbitrary<T>;
  run(input: T): unknown;
}

export class Violation extends Error {}

export function isRefusal(error: unknown): boolean {
  return error instanceof TriageError || (error instanceof Error && error.name === 'CaptureFormatError');
}

const diagnoser = createDiagnoser();
const LOG_TOKENS = ['SSL routines', 'error:14094418', 'tid(', '[ssl][error]', 'ssl-server(', 'alert', 'handshake failure', 'unknown ca', 'certificate verify failed', 'SSL peer did not send a certificate during the handshake', 'PRIVATE KEY-----', '-----BEGIN ', 'javax.net.ssl', '*1 SSL_do_handshake() failed', '[client 10.0.0.1:443]', '0x8120002f', 'no shared cipher', 'wrong version number', 'http request'];
const XML_TOKENS = ['<datapower-configuration version="3">', '</datapower-configuration>', '<configuration domain="d">', '</configuration>', '<SSLServerProfile name="p">', '</SSLServerProfile>', '<Protocols>', '</Protocols>', '<TLSv1d2>on</TLSv1d2>', '<Ciphers>AES</Ciphers>', '<![CDATA[', ']]>', '<!--', '-->', '<?pi x?>', '&amp;', '&#x41;', '&lol;', '<a b="c"/>', '<', '>', '="', '/>', '<!DOCTYPE x>'];
const SLACK_TOKENS = ['<@UBOT>', '<@U1|bob>', '<#C1|oncall>', '<!here>', '<!subteam^S1|@team>', '<https://127.0.0.1:8443|x>', '<http://a.example:443|a.example:443>', '&lt;', '&gt;', '&amp;', '```', 'probe ', 'status', 'help', 'a.example:8443', '[::1]:443', '<mailto:a@b|a@b>', '|', '<', '>'];
const TEAMS_TOKENS = ['<at>tls-triage</at>', '<at>Bob</at>', '<p>', '</p>', '<br/>', '<div>', '</div>', '&nbsp;', '&lt;', '&amp;', '<', '>', ' ', '\u00a0', 'probe a.example:443', '<a href="x">', '<>'];
const TARGET_TOKENS = ['https://', 'tls://', 'http://', '[', ']', ':', '::', '::ffff:', '64:ff9b::', '64:ff9b:1::', '2001:0:', '2002:', '%25', '%lo', '@', '/', '127.0.0.1', '0x7f.1', '0177.0.0.1', '2130706433', '169.254.169.254', '10.0.0.1', 'localhost', 'a.example', '443', '8443', '65536', '0', '.', '`', '<', '|', '>', '１２７.０.０.１', 'xn--'];

const smallLog = (seeds: Seeds): fc.Arbitrary<string> =>
  fc.oneof(fc.tuple(fc.constantFrom(...seeds.logs), fc.nat(), fc.integer({ min: 1, max: 30 })).map(([log, from, lines]) => excerpt(log, from, lines)), textLike(seeds.logs.map((l) => excerpt(l, 0, 20)), LOG_TOKENS));

function isLoopback(host: string): boolean {
  const a = addressToBigInt(host);
  if (!a) return false;
  if (a.family === 4) return a.value >> 24n === 127n;
  // ::1, and NAT64 of 127.0.0.0/8.
  return a.value === 1n || (a.value >> 32n === 0x64ff9bn << 64n && (a.value & 0xffffffffn) >> 24n === 127n);
}

export const TARGETS: readonly Target[] = [
  {
    name: 'log scanner (createDiagnoser().diagnoseText)',
    runs: 60_000,
    arbitrary: smallLog,
    run: async (text: string) => {
      await diagnoser.diagnoseText(removePrivateKeys(text).text);
    },
  } as Target<string>,
  {
    name: 'PEM certificates',
    runs: 100_000,
    arbitrary: (s) => textLike([s.certificatePem, `${s.certificatePem}${s.certificatePem}`, `-----BEGIN PKCS7-----\n${s.pkcs7Der.toString('base64')}\n-----END PKCS7-----\n`], ['-----BEGIN CERTIFICATE-----', '-----END CERTIFICATE-----', '-----BEGIN PKCS7-----', 'MII', '\n']),
    run: (text: string) => readPemCertificates(text),
  } as Target<string>,
  {
    name: 'DER certificates and PKCS#7 (read)',
    runs: 120_000,
    arbitrary: (s) => bytesLike([s.certificateDer, s.pkcs7Der]),
    run: (bytes: Buffer) => readDerCertificates(bytes),
  } as Target<Buffer>,
  {
    name: 'DER certificates and PKCS#7 (parse, describe, verify)',
    runs: 15_000,
    arbitrary: (s) => bytesLike([s.certificateDer, s.pkcs7Der]),
    run: (bytes: Buffer) => inspectDer(bytes, { name: 'fuzz.der' }),
  } as Target<Buffer>,
  {
    name: 'pcap/pcapng captures',
    runs: 100_000,
    arbitrary: (s) => bytesLike([...s.captures, Buffer.concat([Buffer.from([0x0a, 0x0d, 0x0d, 0x0a]), (s.captures[0] as Buffer).subarray(4)])]),
    run: (bytes: Buffer) => readCapture(bytes, 'fuzz.pcap'),
  } as Target<Buffer>,
  {
    name: 'export XML (text)',
    runs: 80_000,
    arbitrary: (s) => textLike(s.exports, XML_TOKENS),
    run: (text: string) => readExportXml(text, 'fuzz.xml'),
  } as Target<string>,
  {
    name: 'export XML (bytes)',
    runs: 60_000,
    arbitrary: (s) => bytesLike(s.exports.map((x) => Buffer.from(x))),
    run: (bytes: Buffer) => readExportXml(bytes, 'fuzz.xml'),
  } as Target<Buffer>,
  {
    name: 'export zip',
    runs: 60_000,
    arbitrary: (s) => bytesLike(s.zips),
    run: (bytes: Buffer) => readExportZip(bytes, 'fuzz.zip'),
  } as Target<Buffer>,
  {
    name: 'Slack payload mapping',
    runs: 150_000,
    arbitrary: () =>
      fc.record({
        type: fc.constantFrom('message', 'app_mention'),
        subtype: fc.option(fc.constantFrom('file_share', 'bot_message', 'message_changed', 'thread_broadcast'), { nil: undefined }),
        channel: fc.constantFrom('C1', 'D1', 'G1', ''),
        channel_type: fc.option(fc.constantFrom('im', 'channel', 'group'), { nil: undefined }),
        user: fc.option(fc.string({ maxLength: 12 }), { nil: undefined }),
        bot_id: fc.option(fc.string({ maxLength: 12 }), { nil: undefined }),
        text: fc.option(textLike([], SLACK_TOKENS), { nil: undefined }),
        ts: fc.string({ maxLength: 20 }),
        thread_ts: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
      }),
    run: (event: SlackMessageEvent) => {
      const routing = routeEvent(event, 'UBOT');
      slackMessage(event, { botUserId: 'UBOT', addressed: routing.answer && routing.addressed });
      commandText(event.text);
    },
  } as Target<SlackMessageEvent>,
  {
    name: 'Teams payload mapping',
    runs: 150_000,
    arbitrary: () =>
      fc.record({
        text: fc.option(textLike([], TEAMS_TOKENS), { nil: undefined }),
        html: fc.option(textLike([], TEAMS_TOKENS), { nil: undefined }),
        conversationType: fc.constantFrom('channel', 'personal', 'groupChat', undefined),
        conversationId: fc.constantFrom('19:x@thread.tacv2', '19:x@thread.tacv2;messageid=1', 'a:1', ''),
        mentionText: fc.option(fc.constantFrom('<at>tls-triage</at>', '<at></at>', ''), { nil: undefined }),
      }),
    run: (a: { text?: string; html?: string; conversationType?: string; conversationId: string; mentionText?: string }) => {
      const activity = {
        type: 'message',
        id: '1',
        text: a.text,
        from: { id: '29:u' },
        recipient: { id: '28:bot' },
        conversation: { id: a.conversationId, conversationType: a.conversationType },
        attachments: a.html !== undefined ? [{ contentType: 'text/html', content: a.html }] : [],
        entities: a.mentionText !== undefined ? [{ type: 'mention', text: a.mentionText, mentioned: { id: '28:bot', name: 'tls-triage' } }] : [],
      } as unknown as Activity;
      teamsMessage(activity);
      if (a.html !== undefined && stripTags(a.html).length > a.html.length) throw new Violation('stripTags made a text longer');
    },
  } as Target<{ text?: string; html?: string; conversationType?: string; conversationId: string; mentionText?: string }>,
  {
    name: 'probe target parsing and policy',
    runs: 300_000,
    arbitrary: () => fc.array(fc.oneof(fc.constantFrom(...TARGET_TOKENS), fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), maxLength: 5 }), fc.nat(70_000).map(String), fc.string({ maxLength: 4 })), { maxLength: 12 }).map((parts) => parts.join('')),
    run: (input: string) => {
      parsePolicyEntry(input);
      const parsed = parseTarget(input);
      if (!parsed.ok || !parsed.target.isIp) return;
      const verdict = checkProbeTarget({ mode: 'default', allow: [], deny: [] }, parsed.target, [parsed.target.host]);
      if (verdict.allowed && isLoopback(parsed.target.host)) throw new Violation(`loopback passed the probe policy: ${JSON.stringify(input)} -> ${parsed.target.host}`);
    },
  } as Target<string>,
];
