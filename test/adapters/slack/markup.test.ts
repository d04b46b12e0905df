import { describe, expect, it } from 'vitest';
import { commandMessage, routeEvent, toMessage } from '../../../adapters/slack/map.js';
import { cleanSlackText, escapeMrkdwn, probeShorthand, routeMention } from '../../../adapters/slack/markup.js';

// Slack wire text to the plain text the rules read, and which events are answered.

describe('slack markup', () => {
  it('cleans mentions, links and entities into what the user typed', () => {
    expect(cleanSlackText('<@UBOT> check <@U2|bob> in <#C9|oncall> <!here> <!subteam^S1|@tls-team>', 'UBOT')).toBe('check @bob in #oncall @here @tls-team');
    expect(cleanSlackText('<http://payments-gw.internal:8443|payments-gw.internal:8443> and <https://x.test/a?b=1&amp;c=2>')).toBe('payments-gw.internal:8443 and https://x.test/a?b=1&c=2');
    expect(cleanSlackText('SSL_accept &lt;error&gt; a &amp;&amp; b, literally &amp;lt;')).toBe('SSL_accept <error> a && b, literally &lt;');
    expect(cleanSlackText('```\n2026 [ssl][error] handshake failure\n```')).toBe('2026 [ssl][error] handshake failure');
    expect(cleanSlackText('<mailto:a@b.test|a@b.test> <@U3>')).toBe('a@b.test @U3');
  });

  it('reads a link as its target for a probe, and as its label otherwise', () => {
    expect(cleanSlackText('probe <https://127.0.0.1:8443|x>', 'UBOT', 'target')).toBe('probe https://127.0.0.1:8443');
    expect(cleanSlackText('probe <https://127.0.0.1:8443|x>', 'UBOT')).toBe('probe x');
    // Slack's auto-link of what was typed: the label is the target without its scheme.
    expect(cleanSlackText('<http://payments-gw.internal:8443|payments-gw.internal:8443>', 'UBOT', 'target')).toBe('payments-gw.internal:8443');
  });

  it('reads a lone host:port said to the bot as a probe, and nothing else', () => {
    expect(probeShorthand('payments-gw.internal:8443')).toBe('probe payments-gw.internal:8443');
    expect(probeShorthand(' [::1]:443 ')).toBe('probe [::1]:443');
    expect(probeShorthand('10.1.2.3:443')).toBe('probe 10.1.2.3:443');
    expect(probeShorthand('connect to payments-gw.internal:8443 fails')).toBe('connect to payments-gw.internal:8443 fails');
    expect(probeShorthand('2026-11-22 10:00:01')).toBe('2026-11-22 10:00:01');
    expect(probeShorthand('status')).toBe('status');
  });

  it('escapes outgoing text, keeping only configured mention syntax live', () => {
    expect(escapeMrkdwn('<!channel> a & b > c')).toBe('&lt;!channel&gt; a &amp; b &gt; c');
    expect(routeMention('<!subteam^S123>')).toBe('<!subteam^S123>');
    expect(routeMention('<#C123>')).toBe('<#C123>');
    expect(routeMention('@payments <b>')).toBe('@payments &lt;b&gt;');
  });
});

describe('slack event routing', () => {
  const base = { type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', ts: '1.1' };
  it('leaves a channel message that mentions the bot to its app_mention event', () => {
    expect(routeEvent({ ...base, text: 'hi <@UBOT>' }, 'UBOT')).toMatchObject({ answer: false });
    expect(routeEvent({ ...base, type: 'app_mention', text: 'hi <@UBOT>' }, 'UBOT')).toEqual({ answer: true, addressed: true });
    // In a direct message there is no app_mention: the message event answers, addressed.
    expect(routeEvent({ ...base, channel: 'D1', channel_type: 'im', text: 'hi <@UBOT>' }, 'UBOT')).toEqual({ answer: true, addressed: true });
    expect(routeEvent({ ...base, text: 'ssl error' }, 'UBOT')).toEqual({ answer: true, addressed: false });
    expect(routeEvent({ ...base, subtype: 'message_deleted' }, 'UBOT')).toMatchObject({ answer: false });
  });

  it('maps threads, bots and commands onto the neutral message', () => {
    expect(toMessage({ ...base, text: 'x' }, { botUserId: 'UBOT', addressed: false, eventId: 'Ev1' })).toEqual({ platform: 'slack', channel: 'C1', thread: '1.1', user: 'U1', text: 'x', addressed: false, eventId: 'Ev1' });
    expect(toMessage({ ...base, text: 'x', thread_ts: '0.9' }, { botUserId: 'UBOT', addressed: false }).thread).toBe('0.9');
    expect(toMessage({ ...base, subtype: 'bot_message', bot_id: 'B7', user: undefined, text: 'x' }, { botUserId: 'UBOT', addressed: false })).toMatchObject({ fromBot: true, user: 'B7' });
    expect(toMessage({ ...base, type: 'app_mention', text: '<@UBOT> a.b:443' }, { botUserId: 'UBOT', addressed: true }).text).toBe('probe a.b:443');
    expect(toMessage({ ...base, type: 'app_mention', text: '<@UBOT>' }, { botUserId: 'UBOT', addressed: true }).text).toBe('help');
    expect(toMessage({ ...base, type: 'app_mention', text: '<@UBOT>', files: [{ id: 'F1' }] }, { botUserId: 'UBOT', addressed: true }).text).toBe('');
    expect(commandMessage({ channel_id: 'C1', user_id: 'U1', text: '', response_url: 'u' })).toEqual({ platform: 'slack', channel: 'C1', user: 'U1', text: 'help', addressed: true });
    expect(commandMessage({ channel_id: 'C1', user_id: 'U1', text: 'probe a.b:443', response_url: 'u' }).thread).toBeUndefined();
  });
});
