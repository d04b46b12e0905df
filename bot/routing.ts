import { isIP } from 'node:net';
import { hostOf, type Diagnosis } from '../rules/index.js';
import { contains } from './probe/address.js';
import type { Config } from './config.js';
import type { Route } from './types.js';

// "Who should act" as the people to mention: the role from the diagnosis, refined by what the
// evidence names. A DataPower object or domain routes to its owners only when the acting side is
// DataPower itself; a client CIDR routes only when the acting side is that remote client. Both
// sides together go to routing.roles.both when it is set, else to the client and the server team.

export function resolveRoute(diagnosis: Diagnosis, routing: Config['routing']): Route | undefined {
  const role = diagnosis.team;
  if (role === 'none') return undefined;
  const context = diagnosis.context ?? {};
  const dataPowerActs =
    context.source === 'datapower' &&
    ((role === 'server' && diagnosis.vantage === 'server') || (role === 'client' && diagnosis.vantage === 'client'));
  if (dataPowerActs) {
    const objectName = context.object?.replace(/^[^(]*\(|\)$/g, '');
    const byObject = objectName ? routing.datapowerObjects[objectName] : undefined;
    if (byObject) return { role, targets: [byObject] };
    const byDomain = context.domain ? routing.datapowerDomains[context.domain] : undefined;
    if (byDomain) return { role, targets: [byDomain] };
  }
  if (role === 'client' && diagnosis.vantage === 'server' && context.client) {
    const address = hostOf(context.client);
    if (isIP(address) !== 0) {
      // The CIDR keys were validated at start-up (config.ts), so contains() cannot throw here.
      for (const [cidr, target] of Object.entries(routing.clientCidrs)) if (contains(cidr, address)) return { role, targets: [target] };
    }
  }
  const byRole = routing.roles[role];
  if (byRole) return { role, targets: [byRole] };
  if (role !== 'both') return undefined;
  const sides = [routing.roles.client, routing.roles.server].filter((t): t is string => t !== undefined);
  return sides.length > 0 ? { role, targets: [...new Set(sides)] } : undefined;
}
