import type { Diagnosis, Role } from '../rules/index.js';

// The platform-neutral boundary: adapters turn platform events into a Message and render a Reply.
// Nothing here knows Slack, Teams or a terminal.

export type Platform = 'console' | 'cli' | 'slack' | 'teams';

export interface Message {
  readonly platform: Platform;
  /** Channel / conversation id; the console uses one fixed id. */
  readonly channel: string;
  /** Thread id (Slack thread_ts, Teams reply chain); undefined for a top-level message. */
  readonly thread?: string;
  readonly user: string;
  /** Plain text with the platform's markup already removed. */
  readonly text: string;
  /** Spoken to the bot: a mention, a direct message, a slash command, the console. */
  readonly addressed: boolean;
  /** Sent by another bot or integration (alerting bots must not make us answer every alert). */
  readonly fromBot?: boolean;
}

/** Who should act, resolved through the routing configuration (e.g. a Slack user group). */
export interface Route {
  readonly role: Role;
  readonly target: string;
}

export type Reply =
  | { readonly kind: 'diagnosis'; readonly diagnosis: Diagnosis; readonly route?: Route }
  | { readonly kind: 'help'; readonly title: string; readonly lines: readonly string[] }
  | { readonly kind: 'notice'; readonly text: string }
  | { readonly kind: 'error'; readonly code: string; readonly text: string };
