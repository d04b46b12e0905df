import { Transform, type Readable } from 'node:stream';

// Counts private key blocks in a byte stream as it passes, without holding it: `tls-triage diagnose`
// warns about a pasted key as the chat bot does (the diagnosis never quotes the key's lines). Only
// what goes through the stream is seen: a big log file scanned by two threads (bot/logs) is read
// by offset instead, and a gzip file is seen packed.

const BEGIN_KEY = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----/g;
/** Longer than the longest BEGIN line, so a line cut between two chunks is still found once. */
const CARRY = 80;

export interface KeyWatch {
  readonly stream: Readable;
  /** Key blocks seen so far (all of them once the stream has ended). */
  count(): number;
}

export function watchForPrivateKeys(source: Readable): KeyWatch {
  let carry = '';
  let count = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const text = carry + chunk.toString('latin1');
      for (const match of text.matchAll(BEGIN_KEY)) {
        // A match that ends inside the carried tail was counted with the previous chunk.
        if (match.index + match[0].length > carry.length) count += 1;
      }
      carry = text.slice(-CARRY);
      done(null, chunk);
    },
  });
  source.on('error', (error) => stream.destroy(error));
  // Whoever stops reading early (a big file read by offset instead) stops the source too.
  stream.on('close', () => source.destroy());
  source.pipe(stream);
  return { stream, count: () => count };
}
