// Chat probes trust the operator's private CAs (certificates.caFiles), like the CLI's --ca.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../bot/config.js';
import { createLogger } from '../../bot/logger.js';
import { createProbeService } from '../../bot/probe/service.js';
import { createDiagnoser } from '../../rules/index.js';
import { generatePki, type TestPki } from './probe/helpers/certs.js';
import { startSServer, type Peer } from './probe/helpers/servers.js';

let pki: TestPki;
let peer: Peer;
beforeAll(async () => {
  pki = generatePki();
  peer = await startSServer(['-cert', pki.leafCert, '-key', pki.leafKey, '-cert_chain', pki.interFile]);
});
afterAll(async () => {
  await peer.stop();
  pki.cleanup();
});

describe('chat probe of a private-CA endpoint', () => {
  const diagnoser = createDiagnoser();
  const who = { user: 'u', channel: 'C', platform: 'console' };
  it('without certificates.caFiles: server-cert-untrusted, client team, with the hint', async () => {
    const config = configSchema.parse({ probe: { allow: ['127.0.0.1'] } });
    const r = await createProbeService(config, diagnoser, createLogger('silent')).probe(`127.0.0.1:${peer.port}`, who);
    expect(r.ok && r.reply.kind === 'diagnosis' && r.reply.diagnosis).toMatchObject({ cause: 'server-cert-untrusted', team: 'client' });
  });
  it('with certificates.caFiles naming the private root: healthy', async () => {
    const config = configSchema.parse({ probe: { allow: ['127.0.0.1'] }, certificates: { caFiles: [pki.rootFile] } });
    const r = await createProbeService(config, diagnoser, createLogger('silent')).probe(`127.0.0.1:${peer.port}`, who);
    expect(r.ok && r.reply.kind === 'diagnosis' && r.reply.diagnosis.cause).toBe('healthy');
  });
});
