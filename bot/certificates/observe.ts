// From certificates read out of an input to the observation the rules diagnose: per-certificate
// details, weaknesses along the leaf's path, the chain verdict and the role its key usage gives.
import type { CertificateDetail, CertificateObservation, CertificateRole, CertificateWeakness } from '../../rules/index.js';
import { weaknessesOf } from '../probe/cert-describe.js';
import { trustStore } from '../probe/trust-store.js';
import { describeForFile, type DescribedCertificate } from './describe.js';
import type { ReadCertificates } from './read.js';
import { checkFileChain } from './verify.js';

export interface ObserveOptions {
  /** File name, or what to call a paste in commands ("pasted.pem"). */
  readonly name: string;
  /** Extra trust anchors (PEM): the configured CA files, --ca. */
  readonly extraCaPem?: readonly string[];
  readonly declaredRole?: 'server' | 'client';
  readonly now?: Date;
}

/** Undefined when nothing readable was found; read.problems then says why. */
export function observeCertificates(read: ReadCertificates, options: ObserveOptions): CertificateObservation | undefined {
  if (read.ders.length === 0) return undefined;
  const now = options.now ?? new Date();
  const described = read.ders.map((der, i) => describeForFile(der, i + 1, now));
  const chain = checkFileChain(read.ders, trustStore([...(options.extraCaPem ?? [])]), now);
  const weak = weaknessesByPosition(described, chain.path);
  const certificates: CertificateDetail[] = described.map(({ entry: _entry, ...detail }) => ({ ...detail, weaknesses: weak.get(detail.position) ?? [] }));
  const leaf = described.find((c) => c.position === chain.leaf);
  return {
    name: options.name,
    format: read.format,
    observedAt: now.toISOString(),
    role: roleFromUsage(leaf?.extKeyUsage ?? null),
    ...(options.declaredRole ? { declaredRole: options.declaredRole } : {}),
    certificates,
    chain,
  };
}

/**
 * Weaknesses along the path use the probe's rules (a root's own self-signature is never checked,
 * so its hash does not count); certificates off the path are judged on their own.
 */
function weaknessesByPosition(described: readonly DescribedCertificate[], path: readonly number[]): Map<number, CertificateWeakness[]> {
  const out = new Map<number, CertificateWeakness[]>();
  const add = (position: number, w: { code: string; detail: string }): void => void out.set(position, [...(out.get(position) ?? []), { code: w.code, detail: w.detail }]);
  const onPath = path.map((p) => described.find((c) => c.position === p)).filter((c): c is DescribedCertificate => c !== undefined);
  for (const w of weaknessesOf(onPath.map((c) => c.entry))) add(onPath[w.position]?.position ?? 0, w);
  for (const c of described) if (!path.includes(c.position)) for (const w of weaknessesOf([c.entry])) add(c.position, w);
  return out;
}

/** serverAuth means a server certificate even when clientAuth is there too (public CAs issue both). */
export function roleFromUsage(eku: readonly string[] | null): CertificateRole {
  if (eku === null) return 'unknown';
  if (eku.includes('serverAuth')) return 'server';
  if (eku.includes('clientAuth')) return 'client';
  return 'unknown';
}
