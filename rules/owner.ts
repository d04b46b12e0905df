import { hostOf } from './host-port.js';
import type { LineContext } from './types.js';
import type { Role, Vantage } from './vocabulary.js';

// Roles are relative to the handshake; people act on names. This turns a role plus what the log
// says about its writer into "the DataPower team (ssl-server(MyProfile), domain default)".

export function describeOwner(role: Role, vantage: Vantage, context: LineContext): string | undefined {
  const clientOwner = describeClient(vantage, context);
  const serverOwner = describeServer(vantage, context);
  switch (role) {
    case 'client':
      return clientOwner;
    case 'server':
      return serverOwner;
    case 'both':
      return `${clientOwner} and ${serverOwner} must compare their settings`;
    case 'security':
      return `the enterprise security team (about ${clientOwner})`;
    case 'network':
      return `the network team (firewalls, load balancers and DNS between ${clientOwner} and ${serverOwner})`;
    case 'none':
      return undefined;
  }
}

function where(context: LineContext): string {
  const parts = [context.object, context.domain ? `domain ${context.domain}` : undefined].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

function describeClient(vantage: Vantage, context: LineContext): string {
  if (vantage === 'client') {
    if (context.source === 'datapower') return `the DataPower team: DataPower is the client on its back side${where(context)}`;
    return `the owner of the ${context.source ?? 'client'} application that wrote this log`;
  }
  // The client's port is ephemeral: naming it would only make the owner harder to find.
  const address = context.client === undefined ? undefined : hostOf(context.client);
  return address ? `the owner of the client at ${address}` : 'the owner of the client that opened the connection';
}

function describeServer(vantage: Vantage, context: LineContext): string {
  if (vantage === 'server') {
    if (context.source === 'datapower') return `the DataPower team: DataPower is the server on its front side${where(context)}`;
    const name = context.server ? ` at ${context.server}` : '';
    return `the owner of the ${context.source ?? 'TLS'} server${name} that wrote this log`;
  }
  const name = context.server ?? context.host;
  if (vantage === 'client' && context.source === 'datapower') {
    return name ? `the owner of the backend ${name}` : 'the owner of the backend DataPower connects to';
  }
  return name ? `the owner of the server ${name}` : 'the owner of the server the client connects to';
}
