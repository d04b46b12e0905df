import { describe, expect, it, vi } from 'vitest';
import { resolveAndCheck, resolveTarget, type LookupFn } from '../../../bot/probe/resolve.js';
import type { ProbePolicyConfig } from '../../../bot/probe/policy.js';

const DEFAULT: ProbePolicyConfig = { mode: 'default', allow: [], deny: [] };

function fakeLookup(table: Record<string, string[]>): LookupFn & { calls: string[] } {
  const calls: string[] = [];
  const fn = async (host: string): Promise<{ address: string; family: number }[]> => {
    calls.push(host);
    const addrs = table[host];
    if (!addrs) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addrs.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(fn, { calls });
}

describe('resolveTarget', () => {
  it('skips DNS for IP literals and normalises them', async () => {
    const lookup = fakeLookup({});
    expect(await resolveTarget({ host: '0x7f.1', port: 443, isIp: true }, lookup)).toMatchObject({
      ok: true,
      addresses: ['127.0.0.1'],
    });
    expect(await resolveTarget({ host: '::ffff:a9fe:a9fe', port: 443 }, lookup)).toMatchObject({
      ok: true,
      addresses: ['169.254.169.254'],
    });
    expect(lookup.calls).toEqual([]);
  });

  it('normalises and dedupes answers, keeping resolver order', async () => {
    const lookup = fakeLookup({ 'multi.example': ['10.0.0.1', '::FFFF:10.0.0.1', '2001:DB8:0::1', '10.0.0.2'] });
    const r = await resolveTarget({ host: 'multi.example', port: 443, isIp: false }, lookup);
    expect(r).toMatchObject({ ok: true, addresses: ['10.0.0.1', '2001:db8::1', '10.0.0.2'] });
    expect(lookup.calls).toEqual(['multi.example']);
  });

  it('passes all + verbatim to the lookup', async () => {
    const lookup = vi.fn<LookupFn>(async () => [{ address: '10.0.0.1', family: 4 }]);
    await resolveTarget({ host: 'a.example', port: 443 }, lookup);
    expect(lookup).toHaveBeenCalledWith('a.example', { all: true, verbatim: true });
  });

  it('reports DNS failures as results, not throws', async () => {
    const r = await resolveTarget({ host: 'nope.example', port: 443 }, fakeLookup({}));
    expect(r).toMatchObject({
      ok: false,
      code: 'dns-failure',
      message: 'could not resolve "nope.example": no such host (ENOTFOUND)',
    });
    const again = await resolveTarget({ host: 'x.example', port: 443 }, async () => {
      throw Object.assign(new Error('queryA EAI_AGAIN'), { code: 'EAI_AGAIN' });
    });
    expect(again).toMatchObject({ ok: false, message: expect.stringContaining('temporary DNS failure') });
    expect(await resolveTarget({ host: 'empty.example', port: 443 }, async () => [])).toMatchObject({
      ok: false,
      message: '"empty.example" resolved to no addresses',
    });
    expect(
      await resolveTarget({ host: 'bad.example', port: 443 }, async () => [{ address: 'not-ip', family: 4 }]),
    ).toMatchObject({ ok: false, message: expect.stringContaining('invalid address') });
  });

  it('times out a hanging lookup', async () => {
    const r = await resolveTarget({ host: 'slow.example', port: 443 }, () => new Promise(() => {}), { timeoutMs: 20 });
    expect(r).toMatchObject({ ok: false, code: 'dns-failure', message: expect.stringContaining('timed out after 20 ms') });
  });

  it('measures duration with the injected clock', async () => {
    let t = 1000;
    const r = await resolveTarget(
      { host: 'a.example', port: 443 },
      async () => {
        t += 42;
        return [{ address: '10.0.0.1', family: 4 }];
      },
      { now: () => t },
    );
    expect(r).toEqual({ ok: true, addresses: ['10.0.0.1'], ms: 42 });
  });

  it('resolves localhost with the real resolver (only real lookup in the suite)', async () => {
    const r = await resolveTarget({ host: 'localhost', port: 443, isIp: false });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.addresses.length).toBeGreaterThan(0);
      for (const a of r.addresses) expect(['127.0.0.1', '::1']).toContain(a);
    }
  });
});

describe('resolveAndCheck', () => {
  it('refuses a name whose answers include a denied address, naming it', async () => {
    const lookup = fakeLookup({ 'rebind.example': ['10.0.0.1', '127.0.0.1'] });
    expect(await resolveAndCheck(DEFAULT, { host: 'rebind.example', port: 443 }, lookup)).toMatchObject({
      ok: false,
      code: 'refused',
      rule: 'builtin:loopback',
      address: '127.0.0.1',
    });
  });

  it('returns the checked addresses (the only ones the engine may connect to)', async () => {
    const lookup = fakeLookup({ 'ok.example': ['10.0.0.1', '2606:4700::1111'] });
    expect(await resolveAndCheck(DEFAULT, { host: 'ok.example', port: 443 }, lookup)).toMatchObject({
      ok: true,
      addresses: ['10.0.0.1', '2606:4700::1111'],
    });
    expect(lookup.calls).toEqual(['ok.example']);
  });

  it('refuses localhost under the default policy', async () => {
    expect(await resolveAndCheck(DEFAULT, { host: 'localhost', port: 443 })).toMatchObject({
      ok: false,
      code: 'refused',
      rule: 'builtin:loopback',
    });
  });

  it('passes DNS failures through', async () => {
    expect(await resolveAndCheck(DEFAULT, { host: 'nope.example', port: 443 }, fakeLookup({}))).toMatchObject({
      ok: false,
      code: 'dns-failure',
    });
  });
});
