import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findClientProfile, loadClientProfiles } from '../../../bot/probe/client-profiles.js';
import { readClientHello } from '../../../bot/probe/hello-parse.js';
import { buildProfileHello } from '../../../bot/probe/profile-hello.js';
import { WIRE_VERSION } from '../../../bot/probe/protocol-names.js';
import { readProfileFiles, readRuleDirs } from '../../../bot/rules-files.js';

// The client profiles: the built-in catalog's contents and sources, the hello built from each
// (read back with the listener's parser, it is the profile), and what a bad file is told.

const profiles = loadClientProfiles();
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function ruleDir(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'profiles-'));
  dirs.push(dir);
  for (const [name, json] of Object.entries(files)) writeFileSync(join(dir, name), JSON.stringify(json));
  return dir;
}

const minimal = { id: 'acme-gateway', name: 'ACME gateway', version: 'ACME 4.2 default profile', source: { kind: 'capture', detail: 'tls-triage listen on the test network' }, versions: ['TLSv1.2'], suites: ['ECDHE-RSA-AES128-GCM-SHA256', 'TLS_RSA_WITH_AES_128_CBC_SHA'], groups: ['secp256r1'], signatureAlgorithms: ['rsa_pkcs1_sha256'], extensions: ['server_name', 'supported_groups', 'signature_algorithms'] };

describe('built-in client profiles', () => {
  it('hold the clients the issue asks for, each naming its exact version and its source', () => {
    expect(profiles.map((p) => p.id)).toEqual(expect.arrayContaining(['java-8', 'java-11', 'java-17', 'openssl-1.0.2', 'openssl-3', 'python-requests', 'curl', 'go', 'dotnet-schannel-2012r2', 'android-7', 'datapower']));
    for (const p of profiles) {
      expect(p.version.length, p.id).toBeGreaterThan(10);
      expect(p.source.detail.length, p.id).toBeGreaterThan(40);
      if (p.source.kind !== 'capture') expect(p.source.url, p.id).toMatch(/^https:\/\//);
    }
    for (const id of ['openssl-3', 'python-requests', 'curl', 'java-17']) expect(findClientProfile(profiles, id).source.kind).toBe('capture');
    expect(findClientProfile(profiles, 'JDK8').id).toBe('java-8');
  });

  it.each(profiles.map((p) => [p.id, p] as const))('%s: the hello built from the profile reads back as the profile', (_id, p) => {
    const keyShares = p.keyShares.map((group) => ({ group, key: Buffer.alloc(group === 29 ? 32 : 65, 1) }));
    const r = readClientHello(buildProfileHello(p, { servername: 'api.example.test', keyShares }));
    expect(r.state).toBe('hello');
    if (r.state !== 'hello') return;
    expect(r.hello.suites).toEqual(p.suites);
    expect(r.hello.groups).toEqual(p.groups);
    expect(r.hello.signatureAlgorithms).toEqual(p.signatureAlgorithms);
    expect(r.hello.keyShareGroups).toEqual(p.keyShares);
    expect(r.hello.alpn).toEqual(p.alpn);
    expect(r.hello.recordVersion).toBe(WIRE_VERSION[p.recordVersion]);
    if (p.versions.includes('TLSv1.3')) expect(r.hello.versions).toEqual(p.versions);
    else expect(r.hello.versions).toEqual([p.versions[0]]);
    const sent = r.hello.extensions.map((e) => e.type).filter((t) => t !== 21);
    expect(sent).toEqual(p.extensions.map((e) => e.type).filter((t) => t !== 21));
    expect(r.hello.sni).toBe(p.extensions.some((e) => e.type === 0) ? 'api.example.test' : null);
  });
});

describe('an ops team\'s profiles in a rule directory', () => {
  it('sit beside rule files: the rule loader does not see them, the profile loader does', () => {
    const dir = ruleDir({ 'acme.json': { clientProfiles: [minimal] }, 'rules.json': { family: 'acme', description: 'x', rules: [] } });
    expect(readRuleDirs([dir]).map((f) => f.name)).toEqual([join(dir, 'rules.json')]);
    const all = loadClientProfiles(readProfileFiles([dir]));
    expect(findClientProfile(all, 'acme-gateway').suites).toEqual([0xc02f, 0x002f]);
  });

  it('a bad file is refused naming the file, the field and a likely fix', () => {
    const bad = { clientProfiles: [{ ...minimal, suites: ['ECDHE-RSA-AES128-GCM-SHA265'], groups: ['secp256r1'], keyShares: ['x25519'] }, { ...minimal, id: 'java-8' }, { ...minimal, id: 'tls13', versions: ['TLSv1.3'] }, { ...minimal, id: 'Bad Id', limits: { minDhBits: -1 } }] };
    const dir = ruleDir({ 'bad.json': bad });
    let message = '';
    try {
      loadClientProfiles(readProfileFiles([dir]));
    } catch (error) {
      message = (error as Error).message;
    }
    const file = join(dir, 'bad.json');
    expect(message).toContain(`${file}: clientProfiles[3].id: must be lower-case words joined by - or .`);
    expect(message).toContain(`${file}: clientProfiles[3].limits.minDhBits`);
    const fixed = { clientProfiles: bad.clientProfiles.slice(0, 3) };
    writeFileSync(file, JSON.stringify(fixed));
    try {
      loadClientProfiles(readProfileFiles([dir]));
      message = '';
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`${file}: clientProfiles[0].suites[0]: unknown cipher suite "ECDHE-RSA-AES128-GCM-SHA265" (did you mean "ecdhe-rsa-aes128-gcm-sha256"?)`);
    expect(message).toContain(`${file}: clientProfiles[0].keyShares[0]: a key share for a group not in groups`);
    expect(message).toContain(`${file}: clientProfiles[1]: "java-8" is already a client id or alias in builtin:client-profiles.json`);
    expect(message).toContain(`${file}: clientProfiles[2].extensions: a TLS 1.3 client sends supported_versions`);
    expect(() => findClientProfile(profiles, 'java-9')).toThrow(/unknown client "java-9"; known clients: java-8, java-11/);
  });
});
