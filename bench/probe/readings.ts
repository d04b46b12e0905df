// Each tool's output reduced to the benchmark's fields (endpoints.ts), so they are scored alike.
// A field a tool does not report is left out (counted as "not reported", not as wrong).
import type { Field, Truth } from './endpoints.js';

const WEAK_NAME = /NULL|ADH|AECDH|anon|RC4|DES|EXP/i;

/** tls-triage probe --json. */
export function readOurs(json: Record<string, unknown>): Truth {
  const protocols = (json.protocols ?? {}) as Record<string, boolean>;
  const cert = json.certificate as { selfSigned: boolean; trusted: boolean | null } | null;
  const k = json.keyExchange as { weakSuites: unknown[]; dheBits: number | null } | undefined;
  const out: Truth = {};
  for (const p of ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const) out[p] = protocols[p] === true;
  if (cert) {
    out.selfSigned = cert.selfSigned;
    if (cert.trusted !== null) out.trusted = cert.trusted;
  }
  if (typeof json.clientCertRequested === 'boolean') out.clientCertRequested = json.clientCertRequested;
  if (k) out.weakCipher = k.weakSuites.length > 0 || (k.dheBits !== null && k.dheBits < 2048);
  return out;
}

/** sslscan --xml=- : protocols, self-signed, accepted ciphers (names and DHE bits), client CA names in the text. */
export function readSslscan(xml: string, text: string): Truth {
  const out: Truth = {};
  const proto: Record<string, Field> = { 'ssl 3': 'SSLv3', 'tls 1.0': 'TLSv1', 'tls 1.1': 'TLSv1.1', 'tls 1.2': 'TLSv1.2', 'tls 1.3': 'TLSv1.3' };
  for (const m of xml.matchAll(/<protocol type="(\w+)" version="([\d.]+)" enabled="(\d)"/g)) {
    const field = proto[`${m[1]} ${m[2]}`];
    if (field) out[field] = m[3] === '1';
  }
  const ciphers = [...xml.matchAll(/<cipher [^>]*cipher="([^"]+)"[^>]*?(?:dhebits="(\d+)")?[^>]*\/>/g)];
  if (ciphers.length > 0 || /<protocol[^>]+enabled="1"/.test(xml)) {
    out.weakCipher = ciphers.some((m) => WEAK_NAME.test(m[1] ?? '') || (m[2] !== undefined && Number(m[2]) < 2048));
  }
  const self = /<self-signed>(true|false)<\/self-signed>/.exec(xml);
  if (self) out.selfSigned = self[1] === 'true';
  if (/<protocol[^>]+enabled="1"/.test(xml)) out.clientCertRequested = /client certificate CA names/i.test(text);
  return out;
}

/** testssl --jsonfile: protocols, cipher categories, chain of trust, client authentication. */
export function readTestssl(items: readonly { id: string; finding: string }[]): Truth {
  const out: Truth = {};
  const find = (id: string): string | undefined => items.find((i) => i.id === id)?.finding;
  const proto: Record<string, Field> = { SSLv3: 'SSLv3', TLS1: 'TLSv1', TLS1_1: 'TLSv1.1', TLS1_2: 'TLSv1.2', TLS1_3: 'TLSv1.3' };
  for (const [id, field] of Object.entries(proto)) {
    const f = find(id);
    if (f !== undefined) out[field] = /^offered/.test(f);
  }
  const lists = ['cipherlist_NULL', 'cipherlist_aNULL', 'cipherlist_EXPORT', 'cipherlist_LOW', 'cipherlist_3DES_IDEA'].map(find).filter((f) => f !== undefined);
  if (lists.length > 0) out.weakCipher = lists.some((f) => /^offered/.test(f ?? '')) || /VULNERABLE/.test(find('LOGJAM') ?? '');
  const trust = find('cert_chain_of_trust');
  if (trust !== undefined) {
    out.trusted = /passed/.test(trust);
    out.selfSigned = /self signed/.test(trust) && !/chain/.test(trust);
  }
  const auth = find('clientAuth');
  if (auth !== undefined) out.clientCertRequested = !/none/i.test(auth);
  return out;
}
