import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../bot/config.js';
import { createBot, type Message } from '../../bot/index.js';
import { createLogger } from '../../bot/logger.js';
import { createProbeService } from '../../bot/probe/service.js';
import { createDiagnoser } from '../../rules/index.js';
import { recordingThread, tempSqliteStore } from '../helpers/bot.js';
import { readFixture } from '../helpers/fixtures.js';
import { generatePki, type TestPki } from './probe/helpers/certs.js';
import { startSServer, type Peer } from './probe/helpers/servers.js';

// A probe asked inside a thread joins its incident: a real openssl s_server with an expired leaf,
// after a paste that only held the red herring.
const diagnoser = createDiagnoser();
const config = configSchema.parse({ probe: { allow: ['127.0.0.1'] } });
const logger = createLogger('silent');
let pki: TestPki;
let peer: Peer;
beforeAll(async () => {
  pki = generatePki();
  peer = await startSServer(['-cert', pki.expiredCert, '-key', pki.leafKey, '-cert_chain', pki.interFile]);
});
afterAll(async () => {
  await peer.stop();
  pki.cleanup();
});

describe('probe inside an incident thread', () => {
  it('posts the probe result, then what it changed in the incident, and records the certificates', async () => {
    const { store, cleanup } = tempSqliteStore();
    try {
      const bot = createBot({ diagnoser, config, logger, store, probe: createProbeService(config, diagnoser, logger) });
      const thread = recordingThread();
      const message = (text: string, addressed: boolean): Message => ({ platform: 'console', channel: 'console', thread: 'INC-7', user: 'local', text, addressed });
      await bot.handle(message(readFixture('datapower/red-herring-only-reconstructed.txt'), false), thread);
      await bot.handle(message(`probe 127.0.0.1:${peer.port}`, true), thread);
      expect(thread.posts.map((p) => p.kind)).toEqual(['diagnosis', 'diagnosis', 'change']);
      const probeReply = thread.posts[1];
      expect(probeReply?.kind === 'diagnosis' && probeReply.diagnosis.cause).toBe('server-cert-expired');
      expect(thread.posts[2]).toMatchObject({ kind: 'change', was: { cause: 'red-herring-only' }, diagnosis: { cause: 'server-cert-expired' }, because: { document: 2 } });
      const incident = await store.load({ platform: 'console', channel: 'console', thread: 'INC-7' });
      expect(incident?.evidence.map((e) => [e.kind, e.name, e.gathered])).toEqual([
        ['paste', undefined, []],
        ['probe', `127.0.0.1:${peer.port}`, ['showcerts', 'certificates']],
      ]);
      expect(incident?.evidence[1]?.observation?.certificate?.expired).toBe(true);
    } finally {
      await cleanup();
    }
  });
});
