// Which special-purpose block an address falls in (special-purpose.data.ts): the most specific
// block wins, so a globally reachable /32 inside a denied /24 is reachable, and a metadata address
// inside a private range is metadata.
import { addressToBigInt, cidrContainsValue, parseCidr, type Cidr } from './address.js';
import { SPECIAL_PURPOSE_BLOCKS, type SpecialBlock } from './special-purpose.data.js';

export type { SpecialBlock, SpecialReach, SpecialRule } from './special-purpose.data.js';

interface ParsedBlock {
  readonly cidr: Cidr;
  readonly block: SpecialBlock;
}

/** Longest prefix first: the first block that contains an address is the most specific one. */
const PARSED: readonly ParsedBlock[] = SPECIAL_PURPOSE_BLOCKS.map((block) => {
  const parsed = parseCidr(block.cidr);
  if (!parsed.ok) throw new Error(`special-purpose block ${block.cidr}: ${parsed.error}`);
  return { cidr: parsed.cidr, block };
}).sort((a, b) => b.cidr.prefix - a.cidr.prefix);

/** The most specific block holding the address; undefined for an ordinary public IPv4 address. */
export function specialBlockOf(address: string): (SpecialBlock & { readonly cidrText: string }) | undefined {
  const a = addressToBigInt(address);
  if (!a) return undefined;
  const hit = PARSED.find((p) => cidrContainsValue(p.cidr, a.family, a.value));
  return hit ? { ...hit.block, cidrText: hit.cidr.text } : undefined;
}
