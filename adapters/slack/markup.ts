// Slack's message markup, both ways. Incoming text arrives in Slack's "mrkdwn" wire form (mentions
// and auto-links as <...>, and &, <, > escaped) and must become the plain text the rules read; text
// going out must be escaped so a log line such as "<!channel>" or "a < b" is shown, never executed.

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&' };

/**
 * Plain text from Slack wire text. `botUserId` mentions are dropped (they only address the bot);
 * other mentions keep a readable form; links become what the user typed (the label), because
 * Slack auto-links the host names and URLs that log lines are full of. With `links: 'target'`
 * (a probe request) a link is what it points to instead, as the CLI would read the URL: a link
 * `<https://127.0.0.1:8443|x>` must probe 127.0.0.1, never the label `x`. Slack's own auto-links
 * (the label is the target without its scheme) still give what was typed.
 */
export function cleanSlackText(text: string, botUserId?: string, links: 'label' | 'target' = 'label'): string {
  const replaced = text.replace(/<([^<>]*)>/g, (_whole, inner: string) => {
    const [target = '', label] = splitLabel(inner);
    if (target.startsWith('@')) return target.slice(1) === botUserId ? '' : `@${label ?? target.slice(1)}`;
    if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
    if (target.startsWith('!')) {
      const special = target.slice(1).split('^')[0] ?? '';
      return label ?? `@${special}`;
    }
    if (links === 'target' && label !== undefined && target.replace(/^(?:https?:\/\/|mailto:)/i, '') !== label) return target;
    return label ?? target.replace(/^mailto:/, '');
  });
  // Entities last: a literal "&lt;" typed by the user arrives as "&amp;lt;" and must stay "&lt;".
  const unescaped = replaced.replace(/&(lt|gt|amp);/g, (entity) => ENTITIES[entity] ?? entity);
  // Code fences wrap pastes; as text they would glue "```" onto the first log line.
  return unescaped.replace(/```/g, '').trim();
}

function splitLabel(inner: string): [string, string | undefined] {
  const bar = inner.indexOf('|');
  return bar === -1 ? [inner, undefined] : [inner.slice(0, bar), inner.slice(bar + 1)];
}

/** True when the wire text mentions the user (before cleaning). */
export function mentions(text: string | undefined, userId: string | undefined): boolean {
  if (!text || !userId) return false;
  return text.includes(`<@${userId}>`) || text.includes(`<@${userId}|`);
}

const HOST_PORT = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):\d{1,5}$/;

/**
 * "@tls-triage payments-gw.internal:8443" and "/tls payments-gw.internal:8443" are probes in the
 * issue's words, while the bot layer only knows "probe host:port": a lone host:port said to the
 * bot is rewritten, anything else is left alone.
 */
export function probeShorthand(text: string): string {
  const trimmed = text.trim();
  return HOST_PORT.test(trimmed) ? `probe ${trimmed}` : text;
}

/** Escapes text for mrkdwn (section text, fallback text): shown literally, never a mention or link. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A configured route target: Slack mention syntax (<!subteam^S1>, <#C1>, <@U1>) is kept, anything else escaped. */
export function routeMention(target: string): string {
  return /^<[!#@][^<>]+>$/.test(target) ? target : escapeMrkdwn(target);
}

/** Text for inside a ``` block: escaped, and a fence inside a log line cannot close the block early. */
export function codeSafe(text: string): string {
  return escapeMrkdwn(text).replace(/```/g, "`\u200b``");
}

/** Text for inside `inline code`: escaped, and a backtick in it cannot end the span. */
export function inlineCodeSafe(text: string): string {
  return escapeMrkdwn(text).replace(/`/g, '\u02cb');
}
