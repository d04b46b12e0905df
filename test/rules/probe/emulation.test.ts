import { describe, expect, it } from 'vitest';
import { judgeEmulation, type EmulatedClient, type ServerAnswer } from '../../../rules/probe/emulation.js';

// The emulation judge alone: what the server chose against what the client offered and accepts.

const names = { suite: (c: number) => `suite-${c.toString(16)}`, group: (g: number) => `group-${g}`, sigalg: (s: number) => `sigalg-${s.toString(16)}` };
const client: EmulatedClient = {
  id: 'c',
  name: 'Client',
  versions: ['TLSv1.3', 'TLSv1.2', 'TLSv1.1', 'TLSv1'],
  suites: [0x1301, 0xc02f, 0x009e],
  groups: [29, 23],
  signatureAlgorithms: [0x0804, 0x0403],
  limits: { minDhBits: 1024, maxDhBits: 2048, minRsaBits: 2048, minEcdsaBits: 224, minVersion: 'TLSv1.2' },
};
const hello = (a: Partial<ServerAnswer>): ServerAnswer => ({ outcome: 'hello', version: 'TLSv1.2', suite: 0xc02f, group: 23, signatureScheme: 0x0804, serverKey: { type: 'rsa', bits: 2048 }, ...a });

describe('judgeEmulation', () => {
  it('a choice inside every list and limit connects', () => {
    expect(judgeEmulation(client, hello({}), {}, names)).toMatchObject({ wouldConnect: true });
  });

  it.each([
    [{ suite: 0x0035 }, 'server-choice-not-offered'],
    [{ group: 24 }, 'server-choice-not-offered'],
    [{ signatureScheme: 0x0601 }, 'server-choice-not-offered'],
    [{ version: 'TLSv1.1' }, 'client-too-new'],
    [{ suite: 0x009e, group: undefined, dheBits: 768 }, 'dh-too-small'],
    [{ suite: 0x009e, group: undefined, dheBits: 4096 }, 'dh-too-large'],
    [{ serverKey: { type: 'rsa', bits: 1024 } }, 'key-too-small'],
    [{ serverKey: { type: 'ec', bits: 192 } }, 'key-too-small'],
  ] as const)('%o is %s', (answer, failure) => {
    expect(judgeEmulation(client, hello(answer as Partial<ServerAnswer>), {}, names)).toMatchObject({ wouldConnect: false, failure });
  });

  it('a refusal: the versions first, then the list the server accepted once swapped', () => {
    const refused: ServerAnswer = { outcome: 'alert', alert: 'handshake_failure' };
    expect(judgeEmulation(client, refused, { serverVersions: ['TLSv1'] }, names)).toMatchObject({ failure: 'client-too-new' });
    expect(judgeEmulation({ ...client, versions: ['TLSv1.1'], limits: {} }, refused, { serverVersions: ['TLSv1.3'] }, names)).toMatchObject({ failure: 'client-too-old' });
    expect(judgeEmulation({ ...client, versions: ['TLSv1.3', 'TLSv1'], limits: {} }, refused, { serverVersions: ['TLSv1.2'] }, names)).toMatchObject({ failure: 'no-shared-version' });
    const shared = { serverVersions: ['TLSv1.2'] };
    expect(judgeEmulation(client, refused, { ...shared, otherSuitesAccepted: true, suiteHint: 'hint' }, names)).toMatchObject({ failure: 'no-shared-cipher', reason: expect.stringContaining('hint') });
    expect(judgeEmulation(client, refused, { ...shared, otherGroupsAccepted: true }, names)).toMatchObject({ failure: 'no-shared-group', reason: expect.stringContaining('group-29, group-23') });
    expect(judgeEmulation(client, refused, { ...shared, otherSigalgsAccepted: true }, names)).toMatchObject({ failure: 'no-shared-sigalg' });
    expect(judgeEmulation(client, refused, shared, names)).toMatchObject({ failure: 'refused', reason: expect.stringContaining('handshake_failure') });
  });

  it('no answer is no verdict', () => {
    expect(judgeEmulation(client, { outcome: 'timeout' }, {}, names)).toMatchObject({ wouldConnect: null });
  });
});
