import { HEADER_LIMIT, TID } from './datapower.js';
import { tidNumber } from './datapower-tid.js';
import { analyseLine } from './line.js';
import type { ScanRules } from '../scan-rules.js';
import { fullContext, type LineHit } from '../../types.js';

// A big DataPower log repeats the same few failure messages thousands of times; only the timestamp,
// the tid and the client address change. Such a line is analysed once per shape: the signatures see
// it from its first '[' on with the tid as 0 and no client address (so the answer is the same for
// every line of the shape, whichever comes first), and each line then gets its own tid and client
// back. Lines without a DataPower tid are analysed as they are.

const MAX_SHAPES = 2_000;

export interface LineAnalyser {
  analyse(text: string, line: number): LineHit | undefined;
}

export function createLineAnalyser(rules: ScanRules): LineAnalyser {
  const shapes = new Map<string, LineHit | undefined>();
  return {
    analyse(text, line) {
      // As parseDataPowerHeader: the tid is looked for in the header only.
      const tid = TID.exec(text.length > HEADER_LIMIT ? text.slice(0, HEADER_LIMIT) : text);
      if (!tid) return analyseLine(text, line, rules);
      const bracket = text.indexOf('[');
      const from = bracket !== -1 && bracket < tid.index ? bracket : 0;
      const masked = `${text.slice(from, tid.index)}tid(0)${text.slice(tid.index + tid[0].length)}`;
      let shape = shapes.get(masked);
      if (shape === undefined && !shapes.has(masked)) {
        shape = analyseLine(masked, line, rules);
        if (shapes.size < MAX_SHAPES) shapes.set(masked, shape);
      }
      if (!shape) return undefined;
      const context = fullContext(shape.context);
      let tidValue: number | undefined;
      // Only a line whose header was read as DataPower's has the tid as its connection (see datapower.ts).
      if (context.connection === 'datapower:0') {
        context.connection = `datapower:${tid[1] as string}`;
        tidValue = tidNumber(tid[1] as string);
        // The header's client address wins over one a signature captured, as in analyseLine.
        if (tid[2]) context.client = tid[2];
      }
      return { line, text, signals: shape.signals, causal: shape.causal, context, tid: tidValue };
    },
  };
}
