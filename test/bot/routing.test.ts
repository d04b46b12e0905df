import { describe, expect, it } from 'vitest';
import { configSchema } from '../../bot/config.js';
import { resolveRoute } from '../../bot/routing.js';
import { createDiagnoser } from '../../rules/index.js';
import { readFixture } from '../helpers/fixtures.js';

const diagnoser = createDiagnoser();
const routing = configSchema.parse({
  routing: {
    roles: { client: '@client-owners', server: '@gateway-team', both: '#tls-war-room' },
    datapowerObjects: { MySSLServer: '@dp-front-team' },
    datapowerDomains: { payments: '@dp-payments' },
    clientCidrs: { '10.30.0.0/16': '@partner-bank', '2001:db8::/32': '@v6-clients' },
  },
}).routing;
const old = (ip: string): string =>
  `20180815T125545.977Z [default][0x8120002f][ssl][error] ssl-server(Front): tid(7)[${ip}]: SSL library error: error:140760FC:SSL routines:SSL23_GET_CLIENT_HELLO:unknown protocol`;

describe('routing: who to mention', () => {
  it('routes by role when nothing more specific matches', async () => {
    const d = await diagnoser.diagnoseText(readFixture('datapower/no-shared-cipher-osmd.txt'));
    expect(resolveRoute(d, routing)).toEqual({ role: 'both', targets: ['#tls-war-room'] });
  });

  it('routes a remote client by its address range, IPv4 and IPv6, and falls back to the role', async () => {
    expect(resolveRoute(await diagnoser.diagnoseText(old('10.30.4.5')), routing)).toEqual({ role: 'client', targets: ['@partner-bank'] });
    expect(resolveRoute(await diagnoser.diagnoseText(old('2001:db8::7')), routing)).toEqual({ role: 'client', targets: ['@v6-clients'] });
    expect(resolveRoute(await diagnoser.diagnoseText(old('192.168.9.9')), routing)).toEqual({ role: 'client', targets: ['@client-owners'] });
  });

  it('routes to the owners of the DataPower object or domain when DataPower must act', async () => {
    const expired = '[0x8120002f][ssl][error] ssl-server(MySSLServer): tid(9)[10.1.1.1]: SSL library error: error:14094415:SSL routines:ssl3_read_bytes:sslv3 alert certificate expired';
    const byObject = await diagnoser.diagnoseText(expired.replace('[0x8120002f]', '20180815T125545.977Z [default][0x8120002f]'));
    expect(byObject.cause).toBe('server-cert-expired');
    expect(resolveRoute(byObject, routing)).toEqual({ role: 'server', targets: ['@dp-front-team'] });
    const byDomain = await diagnoser.diagnoseText(expired.replace('[0x8120002f]', '20180815T125545.977Z [payments][0x8120002f]').replace('MySSLServer', 'Other'));
    expect(resolveRoute(byDomain, routing)).toEqual({ role: 'server', targets: ['@dp-payments'] });
  });

  it('routes both sides to routing.roles.both, else to the client and the server team', async () => {
    const d = await diagnoser.diagnoseText(readFixture('datapower/no-shared-cipher-osmd.txt'));
    expect(d.team).toBe('both');
    const sides = configSchema.parse({ routing: { roles: { client: '@client-owners', server: '@gateway-team' } } }).routing;
    expect(resolveRoute(d, sides)).toEqual({ role: 'both', targets: ['@client-owners', '@gateway-team'] });
    const one = configSchema.parse({ routing: { roles: { server: '@gateway-team' } } }).routing;
    expect(resolveRoute(d, one)).toEqual({ role: 'both', targets: ['@gateway-team'] });
    expect(resolveRoute(d, configSchema.parse({}).routing)).toBeUndefined();
  });

  it('refuses an invalid client CIDR at start-up, naming the key', () => {
    const parsed = configSchema.safeParse({ routing: { clientCidrs: { '10.0.0.1/8': '@x' } } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['routing', 'clientCidrs', '10.0.0.1/8']);
  });
});
