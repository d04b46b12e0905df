import type { Reply } from '../../bot/types.js';
import { renderReplyText } from '../text/render.js';
import { context, fitBlocks, fitText, header, section, type SlackBlock, type SlackMessage } from './blocks.js';
import { escapeMrkdwn, routeMention } from './markup.js';
import { briefBlocks, changeBlocks, diagnosisActions, diagnosisBlocks, notedBlocks } from './render-diagnosis.js';
import { incidentBlocks } from './render-incident.js';

// Reply → Slack message. Blocks are what people see; `text` is the plain-text rendering shared with
// the terminal, used by Slack for notifications, screen readers and clients without Block Kit, so
// it is always set. Every reply about a diagnosis ends with a "cause: <id>" footer people can
// search for.

export type { SlackBlock, SlackMessage } from './blocks.js';

export function renderSlack(reply: Reply): SlackMessage {
  const { body, footer } = renderBlocks(reply);
  return { text: fallbackText(reply), blocks: fitBlocks(body, footer) };
}

/** The fallback alone, for when Slack refuses the blocks. */
export function fallbackText(reply: Reply): string {
  let text = escapeMrkdwn(renderReplyText(reply));
  // The configured mentions must stay live: they are the point of routing.
  for (const target of routeOf(reply)) if (routeMention(target) === target) text = text.replaceAll(escapeMrkdwn(target), target);
  return fitText(text);
}

function routeOf(reply: Reply): readonly string[] {
  if (reply.kind === 'diagnosis' || reply.kind === 'change') return reply.route?.targets ?? [];
  if (reply.kind === 'incident') return reply.report.route?.targets ?? [];
  return [];
}

function causeFooter(cause: string): SlackBlock[] {
  return [context(`cause: \`${cause}\``)];
}

function renderBlocks(reply: Reply): { body: SlackBlock[]; footer: SlackBlock[] } {
  switch (reply.kind) {
    case 'diagnosis': {
      // The buttons sit in the footer, which fitBlocks never cuts.
      const body = reply.full ? diagnosisBlocks(reply.diagnosis, reply.route, reply.incident) : briefBlocks(reply.diagnosis, reply.route, reply.incident);
      return { body, footer: [...diagnosisActions(reply.diagnosis, reply), ...causeFooter(reply.diagnosis.cause)] };
    }
    case 'change':
      return { body: changeBlocks(reply), footer: [...diagnosisActions(reply.diagnosis, reply), ...causeFooter(reply.diagnosis.cause)] };
    case 'noted':
      return { body: notedBlocks(reply), footer: causeFooter(reply.current.cause) };
    case 'incident': {
      const cause = reply.report.diagnosis?.cause;
      return { body: incidentBlocks(reply.report, reply.view), footer: cause ? causeFooter(cause) : [] };
    }
    case 'warning':
      return {
        body: [header(':rotating_light: WARNING'), section(`:rotating_light: *${escapeMrkdwn(reply.warning.text)}*`)],
        footer: [context(`warning: \`${reply.warning.id}\``)],
      };
    case 'help':
      return { body: [header(reply.title), section(reply.lines.map((l) => `• ${escapeMrkdwn(l)}`).join('\n'))], footer: [] };
    case 'notice':
      return { body: [section(escapeMrkdwn(reply.text))], footer: [] };
    case 'error':
      return { body: [section(`:x: ${escapeMrkdwn(reply.text)}`)], footer: [context(`error: \`${escapeMrkdwn(reply.code)}\``)] };
  }
}
