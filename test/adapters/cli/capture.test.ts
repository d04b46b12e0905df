import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { captureLab, type Lab } from '../../bot/capture/helpers/lab.js';

// `tls-triage diagnose FILE` (the built CLI: `npm run build` first) recognises a capture by its
// content, prints the same diagnosis JSON as for a log plus the ladder, and refuses what is not a
// capture with a sentence and exit code 2.

let lab: Lab;
let dir: string;
beforeAll(async () => {
  lab = await captureLab();
  dir = mkdtempSync(join(tmpdir(), 'tls-triage-capture-cli-'));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tls-triage diagnose CAPTURE --json', () => {
  it.each([
    ['pcap', () => lab.scenarios['server-cert-untrusted']?.file as string, 'server-cert-untrusted', 'client'],
    ['pcapng', () => lab.allPcapng, 'protocol-too-old', 'client'],
  ] as const)('%s', async (format, file, cause, team) => {
    const r = await runCli(['diagnose', '--json', file()]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json).slice(0, 4)).toEqual(['cause', 'team', 'title', 'explanation']);
    expect({ cause: json.cause, team: json.team, format: json.capture.format }).toEqual({ cause, team, format });
    expect(json.ladder[0].cause).toBe(cause);
    expect(json.ladder[0].steps[0]).toEqual({ packet: 1, from: 'client', line: 'client -> server  [SYN]' });
    expect(json.connections.failing).toBeGreaterThan(0);
    expect(json.evidence[0]).toEqual({ line: 1, text: 'frame 1: client -> server  [SYN]' });
  });

  it('recognises a capture by its content, not its name', async () => {
    const renamed = join(dir, 'notes.log');
    copyFileSync(lab.scenarios['no-shared-cipher']?.file as string, renamed);
    const json = JSON.parse((await runCli(['diagnose', '--json', renamed])).stdout);
    expect(json.cause).toBe('no-shared-cipher');
    expect(json.capture.name).toBe(renamed);
  });
});

describe('tls-triage diagnose CAPTURE (text)', () => {
  it('prints the capture summary and the ladder, then the diagnosis', async () => {
    const r = await runCli(['diagnose', lab.scenarios['protocol-too-old']?.file as string]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    // A live capture's packet count depends on the kernel's ACK timing: the connections are the point.
    expect(lines[0]).toMatch(/^Capture .*protocol-too-old\.pcap \(pcap\): \d+ packets, 3 TCP connections, 3 with TLS: 0 completed, 3 failing$/);
    expect(r.stdout).toMatch(/\nHandshake 127\.0\.0\.1:\d+ -> 127\.0\.0\.1:\d+ \(protocol-too-old, 3 connections like it\)\n/);
    expect(r.stdout).toMatch(/\n +#4 {2}client -> server {2}ClientHello TLSv1 \(max\), \d+ suites, SNI old\.example\n +#6 {2}server -> client {2}Alert fatal protocol_version\n/);
    expect(r.stdout).toContain('Who acts: the client team, for the client at 127.0.0.1.');
    expect(lines.at(-1)).toBe('cause: protocol-too-old');
  });

  it('a cut capture is diagnosed, with the cut said on standard error', async () => {
    const whole = readFileSync(lab.scenarios['client-cert-missing']?.file as string);
    const cut = join(dir, 'cut.pcap');
    writeFileSync(cut, whole.subarray(0, whole.length - 30));
    const r = await runCli(['diagnose', '--json', cut]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^tls-triage: .*cut\.pcap: the file ends inside a packet \(\d+ bytes of an unfinished record at byte \d+\): the capture was cut short\n$/);
    expect(JSON.parse(r.stdout).capture.truncated).toBe(true);
  });
});

describe('what is not a capture', () => {
  it('garbage named .pcap: exit 2 and a sentence', async () => {
    const garbage = join(dir, 'garbage.pcap');
    writeFileSync(garbage, Buffer.concat([Buffer.from([0x00, 0x01, 0x02, 0x03]), randomBytes(5000)]));
    const r = await runCli(['diagnose', garbage]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${garbage} is not a packet capture: it does not start with a pcap or pcapng header (it starts with 00 01 02 03); tcpdump -w and Wireshark write one`);
  });

  it('a pcapng header over garbage: exit 2 and what is damaged', async () => {
    const damaged = join(dir, 'damaged.pcapng');
    writeFileSync(damaged, Buffer.concat([Buffer.from('0a0d0d0a1c0000004d3c2b1a01000000ffffffffffffffff1c000000', 'hex'), Buffer.from('ffffffff7fffffff', 'hex'), randomBytes(64)]));
    const r = await runCli(['diagnose', damaged]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${damaged} starts like a pcapng capture but holds no readable packet: block at byte 28 claims 4294967167 bytes: the file is damaged from there on, so the rest was not read`);
  });
});
