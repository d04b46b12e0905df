import type { Config } from '../../bot/config.js';
import { keyString } from '../../bot/store/shared.js';
import { openStore } from '../../bot/store/index.js';
import type { FeedbackRecord } from '../../bot/store/types.js';
import type { CliIo } from './diagnose-command.js';

// `tls-triage feedback export`: the verdicts people gave on diagnoses, for rule authors. JSON Lines
// with --json (the fields of ../shared/spec/json-output.md), else one readable line each. It reads
// the store the bot writes; a missing store is an error, never a new empty database.

export interface FeedbackLine {
  readonly incident: string;
  readonly platform: string;
  readonly channel: string;
  readonly thread: string;
  readonly user: string;
  readonly verdict: 'right' | 'wrong';
  readonly cause: string;
  readonly at: string;
  readonly comment?: string;
}

export function feedbackLine(f: FeedbackRecord): FeedbackLine {
  return {
    incident: keyString(f.key),
    platform: f.key.platform,
    channel: f.key.channel,
    thread: f.key.thread,
    user: f.user,
    verdict: f.verdict,
    cause: f.cause,
    at: f.at,
    ...(f.comment !== undefined ? { comment: f.comment } : {}),
  };
}

export async function runFeedbackExport(json: boolean, config: Config, io: CliIo): Promise<number> {
  const store = await openStore(config.store, undefined, undefined, { mustExist: true });
  try {
    const records = await store.listFeedback();
    if (json) {
      for (const record of records) io.write(`${JSON.stringify(feedbackLine(record))}\n`);
      return 0;
    }
    io.write(`${records.length} verdict(s) in ${store.description}${records.length > 0 ? ':' : '.'}\n`);
    for (const f of records) {
      io.write(`${f.at}  ${f.verdict.padEnd(5)}  ${f.cause}  ${f.key.platform} ${f.key.channel} ${f.key.thread}  ${f.user}${f.comment ? `  "${f.comment}"` : ''}\n`);
    }
    return 0;
  } finally {
    await store.close();
  }
}
