import { describe, expect, it } from 'vitest';
import { createDiagnoser } from '../../../rules/index.js';
import { readFixture } from '../../helpers/fixtures.js';

const diagnoser = createDiagnoser();
// Verbatim from the Orange Specs article as copied in Mduduzi/datapower-docker (see datapower/SOURCES.md).
const RED_HERRING = '[0x81200025][ssl][error] ssl-server ... : SSL peer did not send a certificate during the handshake';

describe('the DataPower red herring', () => {
  it('alone: red-herring-only, team none, and says what to collect next', async () => {
    const d = await diagnoser.diagnoseText(readFixture('datapower/red-herring-only-osmd.txt'));
    expect(d.cause).toBe('red-herring-only');
    expect(d.team).toBe('none');
    expect(d.redHerringPresent).toBe(true);
    expect(d.redHerringOnly).toBe(true);
    expect(d.explanation).toMatch(/almost every failed handshake/);
    expect(d.nextSteps.join('\n')).toMatch(/debug/);
    expect(d.nextSteps.join('\n')).toMatch(/openssl s_client/);
    expect(d.nextSteps.join('\n')).toMatch(/tls-triage probe/);
  });

  it('with a real SSL library error: the real cause, the red herring named as secondary', async () => {
    const d = await diagnoser.diagnoseText(readFixture('datapower/no-shared-cipher-osmd.txt'));
    expect(d.cause).toBe('no-shared-cipher');
    expect(d.team).toBe('both');
    expect(d.redHerringPresent).toBe(true);
    expect(d.redHerringOnly).toBe(false);
    expect(d.explanation).toMatch(/Secondary: .*not the cause/);
  });

  it('with a genuine missing client certificate: client-cert-missing, and the message agrees', async () => {
    const d = await diagnoser.diagnoseText(readFixture('datapower/client-cert-missing-osmd.txt'));
    expect(d.cause).toBe('client-cert-missing');
    expect(d.team).toBe('client');
    expect(d.redHerringPresent).toBe(true);
    expect(d.explanation).toMatch(/really was missing/);
  });

  it('surrounded by generic failure lines but no library error: still red-herring-only', async () => {
    const text = [
      '[0x81200025][ssl][error] ssl-server ... : SSL peer did not send a certificate during the handshake',
      '[0x80e00130][http][error] xmlfirewall ... : could not establish SSL for incoming connection',
      '[0x80e00531][xmlfirewall][debug] xmlfirewall ... : Starting termination of connection 192.168.1.46:52959 192.168.1.10:9195',
    ].join('\n');
    const d = await diagnoser.diagnoseText(text);
    expect(d.cause).toBe('red-herring-only');
    expect(d.nextSteps.join('\n')).toContain('192.168.1.10:9195');
  });

  it('is found on any line of a long paste and never outranks a real cause', async () => {
    const noise = Array.from({ length: 200 }, (_, i) => `20180815T1255${String(i % 60).padStart(2, '0')}.000Z [default][0x80e0027d][mpgw][info] mpgw(api): tid(${i}): request processed`);
    const real = '[0x8120002f][ssl][error] ssl-server ... : SSL library error: error:1408A0C1:SSL routines:ssl3_get_client_hello:no shared cipher';
    const d = await diagnoser.diagnoseText([...noise, RED_HERRING, ...noise, real].join('\n'));
    expect(d.cause).toBe('no-shared-cipher');
    // The causal line leads the evidence; the red herring follows as context.
    expect(d.evidence.map((e) => e.line)).toEqual([402, 201]);
  });
});
