// Teams message activities as the Bot Connector delivers them (shapes as observed from Teams:
// channel conversation ids carry `;messageid=<root>`, mentions are `<at>` text plus an entity).

export const BOT = { id: '28:00000000-0000-4000-8000-00000000b07', name: 'tls-triage' };
export const USER = { id: '29:1user-alice', name: 'Alice', aadObjectId: '6f1c0000-0000-4000-8000-0000000a11ce' };
export const TENANT = '72f988bf-0000-4000-8000-000000000001';
export const CHANNEL = '19:0a1b2c3d4e5f@thread.tacv2';

let counter = 1_700_000_000_000;
export const nextId = (): string => String(counter++);

export interface MessageOptions {
  readonly serviceUrl: string;
  readonly text: string;
  readonly id?: string;
  /** Root message id of the reply chain; defaults to the message's own id (a new thread). */
  readonly root?: string;
  readonly mention?: boolean;
  readonly tenant?: string;
  readonly conversationType?: 'channel' | 'personal' | 'groupChat';
  readonly conversationId?: string;
  readonly from?: Record<string, unknown>;
  readonly attachments?: object[];
}

export function message(options: MessageOptions): Record<string, unknown> {
  const id = options.id ?? nextId();
  const type = options.conversationType ?? 'channel';
  const tenant = options.tenant ?? TENANT;
  const conversationId = options.conversationId ?? (type === 'channel' ? `${CHANNEL};messageid=${options.root ?? id}` : `a:1personal-${USER.id}`);
  const text = options.mention ? `<at>${BOT.name}</at> ${options.text}` : options.text;
  return {
    type: 'message',
    id,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: options.serviceUrl,
    from: options.from ?? USER,
    recipient: BOT,
    conversation: { id: conversationId, conversationType: type, tenantId: tenant, ...(type === 'personal' ? {} : { isGroup: true }) },
    text,
    textFormat: 'plain',
    entities: options.mention ? [{ type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT }] : [],
    channelData: { tenant: { id: tenant }, ...(type === 'channel' ? { teamsChannelId: CHANNEL, team: { id: '19:team@thread.tacv2' }, channel: { id: CHANNEL } } : {}) },
    ...(options.attachments ? { attachments: options.attachments } : {}),
  };
}
