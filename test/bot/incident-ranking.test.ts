import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../bot/config.js';
import { createBot, type Message, type Reply } from '../../bot/index.js';
import { createLogger } from '../../bot/logger.js';
import type { IncidentStore } from '../../bot/store/types.js';
import { createDiagnoser, type Diagnosis } from '../../rules/index.js';
import { recordingThread, tempSqliteStore } from '../helpers/bot.js';

// An incident follows the connection the thread is about. Lines in DataPower's format (as in
// test/fixtures/logs/datapower/, from the Orange Specs article and public issue threads); tids and
// addresses set apart: the failing partner at 10.20.30.77 (tid 48213), a health checker at 10.99.0.5.
const diagnoser = createDiagnoser();
const config = configSchema.parse({});
const logger = createLogger('silent');
const line = (tid: number, ip: string, id: string, text: string): string =>
  `20260601T150214.329Z [PARTNERS][${id}][ssl][error] ssl-server(Partner_SSLServer): tid(${tid})[${ip}]: ${text}`;
const PARTNER_CIPHER = line(48213, '10.20.30.77', '0x8120002f', 'SSL library error: error:1408A0C1:SSL routines:ssl3_get_client_hello:no shared cipher');
const PARTNER_HERRING = line(48213, '10.20.30.77', '0x81200025', 'SSL peer did not send a certificate during the handshake');
const CHECKER_HTTP = line(48299, '10.99.0.5', '0x8120002f', 'SSL library error: error:1407609C:SSL routines:SSL23_GET_CLIENT_HELLO:http request');
const CHECKER_HERRING = line(48299, '10.99.0.5', '0x81200025', 'SSL peer did not send a certificate during the handshake');

let store: IncidentStore;
let cleanup: () => Promise<void>;
beforeEach(() => ({ store, cleanup } = tempSqliteStore()));
afterEach(async () => cleanup());

const inThread = (text: string, user = 'U1'): Message => ({ platform: 'slack', channel: 'C1', thread: 'T9', user, text, addressed: false });
const diagnosisOf = (r: Reply | undefined): Diagnosis | undefined => (r && 'diagnosis' in r ? r.diagnosis : undefined);

describe('an incident follows the connection it is about', () => {
  it("keeps the partner's no-shared-cipher when a health checker's plain-HTTP line is pasted later", async () => {
    const bot = createBot({ diagnoser, config, logger, store });
    const thread = recordingThread();
    await bot.handle(inThread(`${PARTNER_HERRING}\n${PARTNER_CIPHER}`), thread);
    expect(diagnosisOf(thread.posts[0])?.cause).toBe('no-shared-cipher');

    await bot.handle(inThread(`${CHECKER_HTTP}\n${CHECKER_HERRING}`, 'U2'), thread);
    const after = thread.posts[1];
    // Nothing changed for the incident: the new line is background noise from another connection.
    expect(after?.kind).toBe('noted');
    const status: Reply[] = [];
    await bot.handle({ ...inThread('status'), addressed: true }, { post: async (r) => (status.push(r), 'ref') });
    const report = status[0]?.kind === 'incident' ? status[0].report.diagnosis : undefined;
    expect(report?.cause).toBe('no-shared-cipher');
  });

  it('diagnose ranks the same way: the health checker is listed as also seen, with its count', async () => {
    const d = await diagnoser.diagnoseText([PARTNER_HERRING, PARTNER_CIPHER, CHECKER_HTTP, CHECKER_HERRING, CHECKER_HTTP.replace('48299', '48301'), CHECKER_HTTP.replace('48299', '48305')].join('\n'));
    expect(d.cause).toBe('no-shared-cipher');
    expect(d.others).toContainEqual(expect.objectContaining({ cause: 'plain-http-on-tls-port', count: 3 }));
  });

  it('a background failure still leads when it is all there is', async () => {
    const d = await diagnoser.diagnoseText(`${CHECKER_HTTP}\n${CHECKER_HERRING}`);
    expect(d.cause).toBe('plain-http-on-tls-port');
  });

  it("speaks of the red herring only for the connection that logged it", async () => {
    // The red herring belongs to the health checker's connection, not to the partner's.
    const d = await diagnoser.diagnoseText([PARTNER_CIPHER, CHECKER_HTTP, CHECKER_HERRING].join('\n'));
    expect(d.cause).toBe('no-shared-cipher');
    expect(d.redHerringPresent).toBe(true);
    expect(d.explanation).not.toMatch(/did not send a certificate/);
    const withOwn = await diagnoser.diagnoseText([PARTNER_HERRING, PARTNER_CIPHER, CHECKER_HTTP].join('\n'));
    expect(withOwn.explanation).toMatch(/did not send a certificate/);
  });

  it('the first failing connection leads over a later, more frequent one from another client', async () => {
    const other = (tid: number): string => line(tid, '10.20.30.41', '0x8120002f', 'SSL library error: error:140760FC:SSL routines:SSL23_GET_CLIENT_HELLO:unknown protocol');
    const d = await diagnoser.diagnoseText([PARTNER_CIPHER.replace('Partner_SSLServer', 'Other_SSLServer'), other(50001), other(50002), other(50003)].join('\n'));
    expect(d.cause).toBe('no-shared-cipher');
    expect(d.others).toContainEqual(expect.objectContaining({ cause: 'protocol-too-old', count: 3 }));
  });
});
