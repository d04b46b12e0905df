import { z } from 'zod';
import { DEFAULT_XML_LIMITS, type XmlLimits } from './export/xml.js';

// The limits on what an input may cost: bytes, and the work and memory behind them (gzip's inflated
// size and ratio, XML's elements, attributes, depth and value lengths, evidence read at once). The
// `input` section of the configuration (bot/config.ts validates it at start-up); docs/limits.md says
// how memory grows with each.

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

export interface InputLimits {
  /** Chat pastes and uploads (one message's files together) above this are refused. */
  readonly maxChatBytes: number;
  /** gzip is inflated up to this many bytes (the CLI streams; chat stops at maxChatBytes). */
  readonly maxInflatedBytes: number;
  /** ... and to at most this many times its compressed size (past the first MiB). */
  readonly maxInflateRatio: number;
  /** Messages whose evidence is read and diagnosed at once; the others wait their turn. */
  readonly maxConcurrentInputs: number;
  /** Log text one incident holds in all (every message re-diagnoses all of it); more is refused. */
  readonly maxIncidentTextBytes: number;
  readonly xml: XmlLimits;
}

export const DEFAULT_INPUT_LIMITS: InputLimits = {
  maxChatBytes: 20 * MIB,
  maxInflatedBytes: 2 * GIB,
  maxInflateRatio: 100,
  maxConcurrentInputs: 1,
  maxIncidentTextBytes: 40 * MIB,
  xml: DEFAULT_XML_LIMITS,
};

const count = (min: number, max: number, fallback: number) => z.number().int().min(min).max(max).default(fallback);

const xmlSchema = z
  .object({
    maxElements: count(100, 10_000_000, DEFAULT_XML_LIMITS.maxElements),
    maxAttributesPerElement: count(4, 100_000, DEFAULT_XML_LIMITS.maxAttributesPerElement),
    maxAttributes: count(100, 20_000_000, DEFAULT_XML_LIMITS.maxAttributes),
    maxDepth: count(8, 1000, DEFAULT_XML_LIMITS.maxDepth),
    maxAttributeChars: count(1024, 32 * MIB, DEFAULT_XML_LIMITS.maxAttributeChars),
    maxTextChars: count(1024, 32 * MIB, DEFAULT_XML_LIMITS.maxTextChars),
  })
  .strict()
  .default(DEFAULT_XML_LIMITS);

export const inputSchema = z
  .object({
    maxChatBytes: count(1024, 200 * MIB, DEFAULT_INPUT_LIMITS.maxChatBytes),
    maxInflatedBytes: count(MIB, 64 * GIB, DEFAULT_INPUT_LIMITS.maxInflatedBytes),
    maxInflateRatio: count(2, 100_000, DEFAULT_INPUT_LIMITS.maxInflateRatio),
    maxConcurrentInputs: count(1, 64, DEFAULT_INPUT_LIMITS.maxConcurrentInputs),
    maxIncidentTextBytes: count(MIB, 4 * GIB, DEFAULT_INPUT_LIMITS.maxIncidentTextBytes),
    xml: xmlSchema,
  })
  .strict()
  .default(DEFAULT_INPUT_LIMITS);
