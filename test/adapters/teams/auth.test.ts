import { generateKeyPairSync } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../../bot/probe/helpers/servers.js';
import { message } from './helpers/activities.js';
import { startHarness, type TeamsHarness } from './helpers/harness.js';
import { hs256Token, rs256Token, startSigningKeys, unsignedToken, type SigningKeys } from './helpers/signing-keys.js';

// Every way a bearer token can fail to authenticate is a 401 with nothing processed (issue 16):
// the forgeries (alg none, HS256 keyed with the public key, a self-signed RS256 key with the Bot
// Framework's issuer), an expired token, and a token that cannot be checked at all (unknown key
// id, signing keys unreachable). The signing keys are published on 127.0.0.1
// (teams.openIdMetadataUrl), so a correctly signed token is accepted: the refusals are the
// token's, not the set-up's.

const APP_ID = '4f1d5b7e-0c2a-4b8e-9a51-2f7c3d9e6b10';
const APP_PASSWORD = 'fake-app-password-for-tests-only';

let keys: SigningKeys;
let harness: TeamsHarness | undefined;
beforeAll(async () => {
  keys = await startSigningKeys();
});
afterAll(async () => keys.close());
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const refusedStatuses = (h: TeamsHarness): unknown[] => h.logs.filter((l) => l.msg === 'teams request refused').map((l) => l.status);

describe('Teams authentication failures', () => {
  it('answers 401 to every forged, expired or unverifiable token, and processes none of them', async () => {
    const h = (harness = await startHarness({ teams: { appId: APP_ID, appPassword: APP_PASSWORD, openIdMetadataUrl: keys.metadataUrl } }));
    const serviceUrl = h.connector.url;
    const claims = { appId: APP_ID, serviceUrl };
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const forged: Record<string, string> = {
      'alg none': unsignedToken(keys.kid, claims),
      'HS256 keyed with the public key': hs256Token(keys.publicPem, keys.kid, claims),
      'self-signed RS256 with the Bot Framework issuer': rs256Token(stranger, keys.kid, claims),
      expired: rs256Token(keys.privateKey, keys.kid, { ...claims, expiresIn: -3600 }),
      'unknown key id': rs256Token(stranger, 'no-such-key', claims),
    };
    const statuses: Record<string, number> = {};
    for (const [name, token] of Object.entries(forged)) {
      statuses[name] = (await h.send(message({ serviceUrl, text: 'help', mention: true }), { authorization: `Bearer ${token}` })).status;
    }
    expect(statuses).toEqual(Object.fromEntries(Object.keys(forged).map((name) => [name, 401])));
    expect(refusedStatuses(h)).toEqual(Object.keys(forged).map(() => 401));
    // Each refused for what is wrong with it, not for something wrong in the set-up.
    expect(h.logs.filter((l) => l.msg === 'teams request refused').map((l) => l.reason)).toEqual([
      'jwt signature is required',
      'invalid algorithm',
      'invalid signature',
      'The token has expired',
      'Signing Key could not be retrieved.',
    ]);
    await h.adapter.idle();
    expect(h.connector.calls).toEqual([]);

    // The control: the same activity with a correctly signed token gets through authentication.
    const control = await h.send({ ...message({ serviceUrl, text: 'help', mention: true }), type: 'conversationUpdate' }, { authorization: `Bearer ${rs256Token(keys.privateKey, keys.kid, claims)}` });
    expect(control.status).toBe(200);
    expect(refusedStatuses(h)).toHaveLength(Object.keys(forged).length);
  });

  it('answers 401 when the signing keys cannot be fetched (not a 500 the Bot Connector would retry)', async () => {
    const unreachable = `http://127.0.0.1:${await closedPort()}/.well-known/openidconfiguration`;
    const h = (harness = await startHarness({ teams: { appId: APP_ID, appPassword: APP_PASSWORD, openIdMetadataUrl: unreachable } }));
    const token = rs256Token(keys.privateKey, keys.kid, { appId: APP_ID, serviceUrl: h.connector.url });
    const result = await h.send(message({ serviceUrl: h.connector.url, text: 'help', mention: true }), { authorization: `Bearer ${token}` });
    expect(result.status).toBe(401);
    expect(refusedStatuses(h)).toEqual([401]);
    await h.adapter.idle();
    expect(h.connector.calls).toEqual([]);
  });
});
