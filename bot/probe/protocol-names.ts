// Protocol names and their wire versions. Kept apart so the data file and every module share them.

export type ProtocolName = 'SSLv3' | 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

export const PROTOCOLS: readonly ProtocolName[] = ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

export const WIRE_VERSION: Readonly<Record<ProtocolName, number>> = {
  SSLv3: 0x0300,
  TLSv1: 0x0301,
  'TLSv1.1': 0x0302,
  'TLSv1.2': 0x0303,
  'TLSv1.3': 0x0304,
};

/** Name of a wire version; unknown values (e.g. TLS 1.3 drafts 0x7fXX) get a hex label. */
export function protocolOfWire(v: number): ProtocolName | `0x${string}` {
  for (const p of PROTOCOLS) if (WIRE_VERSION[p] === v) return p;
  return `0x${v.toString(16).padStart(4, '0')}`;
}
