import type { Activity } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { fileRefs, stripTags, toMessage } from '../../../adapters/teams/to-message.js';
import { BOT, CHANNEL, message, TENANT, USER } from './helpers/activities.js';

// Teams activity -> neutral Message: thread identity, addressing, mention cleanup, files.

const serviceUrl = 'https://smba.trafficmanager.net/emea/';
const asActivity = (value: Record<string, unknown>): Activity => value as unknown as Activity;

describe('toMessage', () => {
  it('a channel reply chain: thread = full conversation id, channel = the part before ;messageid=', () => {
    const incoming = toMessage(asActivity(message({ serviceUrl, id: '1700000000999', root: '1700000000000', text: 'status', mention: true })));
    expect(incoming?.message).toEqual({
      platform: 'teams',
      channel: CHANNEL,
      thread: `${CHANNEL};messageid=1700000000000`,
      user: USER.aadObjectId,
      text: 'status',
      addressed: true,
      eventId: `teams:${CHANNEL};messageid=1700000000000:1700000000999`,
    });
    expect(incoming?.tenant).toBe(TENANT);
    expect(incoming?.replyConversationId).toBe(`${CHANNEL};messageid=1700000000000`);
  });

  it('a channel post without ;messageid= gets its own message as the reply chain root', () => {
    const incoming = toMessage(asActivity(message({ serviceUrl, id: '1700000000555', text: 'hello', conversationId: CHANNEL })));
    expect(incoming?.message).toMatchObject({ channel: CHANNEL, thread: `${CHANNEL};messageid=1700000000555`, addressed: false });
    expect(incoming?.replyConversationId).toBe(`${CHANNEL};messageid=1700000000555`);
  });

  it('personal and group chats: the conversation id is channel and thread; personal is always addressed', () => {
    const personal = toMessage(asActivity(message({ serviceUrl, text: 'probe h:443', conversationType: 'personal' })));
    expect(personal?.message).toMatchObject({ channel: `a:1personal-${USER.id}`, thread: `a:1personal-${USER.id}`, addressed: true, text: 'probe h:443' });
    const group = toMessage(asActivity(message({ serviceUrl, text: 'hi', conversationType: 'groupChat', conversationId: '19:group@thread.v2' })));
    expect(group?.message).toMatchObject({ channel: '19:group@thread.v2', thread: '19:group@thread.v2', addressed: false });
  });

  it('a conversation without a type (the Bot Framework Emulator) is addressed unless it is a group', () => {
    const activity = message({ serviceUrl, text: 'help', conversationType: 'personal' });
    activity.conversation = { id: 'emulator-conversation-1' };
    expect(toMessage(asActivity(activity))?.message).toMatchObject({ channel: 'emulator-conversation-1', thread: 'emulator-conversation-1', addressed: true });
    activity.conversation = { id: 'emulator-conversation-1', isGroup: true };
    expect(toMessage(asActivity(activity))?.message.addressed).toBe(false);
  });

  it("removes the bot's own mention, keeps others as @Name, and keeps a paste's lines", () => {
    const activity = message({ serviceUrl, text: 'x' });
    activity.text = `<at>tls-triage</at>&nbsp;diagnose ask <at>Bob</at>\n  line one\n\tline two  \n`;
    activity.entities = [
      { type: 'mention', text: '<at>tls-triage</at>', mentioned: BOT },
      { type: 'mention', text: '<at>Bob</at>', mentioned: { id: '29:bob', name: 'Bob' } },
    ];
    expect(toMessage(asActivity(activity))?.message).toMatchObject({ text: 'diagnose ask @Bob\n  line one\n\tline two', addressed: true });
  });

  it('a mention of someone else does not address the bot', () => {
    const activity = message({ serviceUrl, text: '<at>Bob</at> probe h:443' });
    activity.entities = [{ type: 'mention', text: '<at>Bob</at>', mentioned: { id: '29:bob', name: 'Bob' } }];
    expect(toMessage(asActivity(activity))?.message).toMatchObject({ text: '@Bob probe h:443', addressed: false });
  });

  it('reads the text/html attachment when the text is empty', () => {
    const activity = message({ serviceUrl, text: '', attachments: [{ contentType: 'text/html', content: '<div><at>tls-triage</at> probe a.example:443&lt;x&gt;</div>' }] });
    activity.entities = [{ type: 'mention', text: '<at>tls-triage</at>', mentioned: BOT }];
    expect(toMessage(asActivity(activity))?.message.text).toBe('probe a.example:443<x>');
  });

  it('marks messages from other bots', () => {
    expect(toMessage(asActivity(message({ serviceUrl, text: 'alert', from: { id: '28:alerts', name: 'Alerts' } })))?.message.fromBot).toBe(true);
    expect(toMessage(asActivity(message({ serviceUrl, text: 'alert', from: { id: 'x', role: 'bot' } })))?.message.fromBot).toBe(true);
    expect(toMessage(asActivity(message({ serviceUrl, text: 'hi' })))?.message.fromBot).toBeUndefined();
  });

  it('takes files from download-info and contentUrl attachments only', () => {
    const refs = fileRefs([
      { contentType: 'application/vnd.microsoft.teams.file.download.info', name: 'a.log', content: { downloadUrl: 'https://tenant.sharepoint.com/a.log?tempauth=x' } },
      { contentType: 'image/png', name: 'shot.png', contentUrl: `${serviceUrl}v3/attachments/1/views/original` },
      { contentType: 'text/html', content: '<p>hi</p>' },
      { contentType: 'application/vnd.microsoft.card.adaptive', content: {} },
      { contentType: 'application/vnd.microsoft.teams.file.download.info', name: 'broken', content: {} },
    ]);
    expect(refs).toEqual([
      { name: 'a.log', url: 'https://tenant.sharepoint.com/a.log?tempauth=x', preauthorised: true },
      { name: 'shot.png', url: `${serviceUrl}v3/attachments/1/views/original`, preauthorised: false },
    ]);
  });

  // Issue 16: 80 KB of spaces took 4.7 s and 80 KB of "<" 3.7 s (quadratic regular expressions).
  // At 4 million characters a quadratic clean-up would take hours; a linear one milliseconds.
  const HUGE = 4_000_000;

  it('trims a text with millions of inner spaces (linear: the quadratic /\\s+$/ could not finish)', () => {
    const text = `ssl error${' '.repeat(HUGE)}x${' \t\n'.repeat(1000)}`;
    const incoming = toMessage(asActivity(message({ serviceUrl, text })));
    expect(incoming?.message.text.length).toBe('ssl error'.length + HUGE + 1);
    expect(incoming?.message.text.endsWith(' x')).toBe(true);
  });

  it('strips the tags of an HTML body of millions of "<" (linear) and keeps the text', () => {
    const activity = message({ serviceUrl, text: '', attachments: [{ contentType: 'text/html', content: `<p>handshake failure</p>${'<'.repeat(HUGE)}` }] });
    const text = toMessage(asActivity(activity))?.message.text ?? '';
    expect(text.startsWith('handshake failure\n<<<')).toBe(true);
    expect(text.length).toBe('handshake failure\n'.length + HUGE);
    expect(stripTags(`${'<a'.repeat(HUGE / 2)}>b`)).toBe('b');
  });

  it('strips tags as the regular expression did: mentions and "<>" kept, a tag ends at the first ">"', () => {
    expect(stripTags('<div><at>tls-triage</at> probe <b>a</b>.example:443</div>')).toBe('<at>tls-triage</at> probe a.example:443');
    expect(stripTags('a <> b <x<y> c < d')).toBe('a <> b  c < d');
    expect(stripTags('<atx>1</at >2')).toBe('12');
  });
});
