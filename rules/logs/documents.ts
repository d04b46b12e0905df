import type { Diagnosis, EvidenceLine, OtherCause } from '../types.js';

// An incident's pastes and files are diagnosed together (a DataPower transaction's red herring in
// one paste and its SSL library error in the next are one connection), but a user must see which
// paste a quoted line came from: lines are numbered within their own document again.

export interface TextDocument {
  /** The document's number in its incident (evidence seq). */
  readonly id: number;
  readonly text: string;
}

export interface DocumentSession {
  push(chunk: string): void;
  finish(endpointText?: string): Promise<Diagnosis>;
}

export async function diagnoseDocuments(start: () => DocumentSession, documents: readonly TextDocument[]): Promise<Diagnosis> {
  const session = start();
  const firstLines: { id: number; first: number }[] = [];
  let nextLine = 1;
  for (const doc of documents) {
    firstLines.push({ id: doc.id, first: nextLine });
    const text = doc.text.endsWith('\n') ? doc.text : `${doc.text}\n`;
    session.push(text);
    nextLine += countNewlines(text);
  }
  const diagnosis = await session.finish(documents.map((d) => d.text).join('\n'));
  const locate = (line: EvidenceLine): EvidenceLine => {
    let owner = firstLines[0];
    for (const entry of firstLines) if (entry.first <= line.line) owner = entry;
    return owner ? { line: line.line - owner.first + 1, text: line.text, document: owner.id } : line;
  };
  diagnosis.evidence = diagnosis.evidence.map(locate);
  if (diagnosis.keyLine) diagnosis.keyLine = locate(diagnosis.keyLine);
  diagnosis.others = diagnosis.others.map((o): OtherCause => ({ ...o, example: locate(o.example) }));
  return diagnosis;
}

function countNewlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count += 1;
  return count;
}
