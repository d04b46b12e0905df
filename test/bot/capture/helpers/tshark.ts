import { execFileSync } from 'node:child_process';
import type { CaptureConnection } from '../../../../rules/index.js';

// tshark's own dissection of a capture, reduced to what the decoder's output is cross-checked on:
// per connection, the ClientHello and ServerHello versions, the ClientHello's suite count, and the
// alerts in clear with the frame and side that sent them.

const FIELDS = ['frame.number', 'tcp.srcport', 'tcp.dstport', 'tls.alert_message.desc', 'tls.handshake.type', 'tls.handshake.version', 'tls.handshake.extensions.supported_version', 'tls.handshake.cipher_suites_length'];

const VERSION_NAMES: Readonly<Record<number, string>> = { 0x0300: 'SSLv3', 0x0301: 'TLSv1', 0x0302: 'TLSv1.1', 0x0303: 'TLSv1.2', 0x0304: 'TLSv1.3' };

export interface Dissected {
  alerts: { frame: number; from: 'client' | 'server'; code: number }[];
  clientHellos: { frame: number; version: string; versions: string[] | null; suites: number }[];
  serverHellos: { frame: number; version: string }[];
}

export function tsharkRows(file: string): string[][] {
  const out = execFileSync('tshark', ['-r', file, '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,', ...FIELDS.flatMap((f) => ['-e', f])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return out.trimEnd().split('\n').map((line) => line.split('\t'));
}

/** tshark's view of one connection (by its ports), in the decoder's vocabulary. */
export function dissect(rows: readonly string[][], c: CaptureConnection): Dissected {
  const port = (endpoint: string): number => Number(endpoint.slice(endpoint.lastIndexOf(':') + 1));
  const [clientPort, serverPort] = [port(c.client), port(c.server)];
  const result: Dissected = { alerts: [], clientHellos: [], serverHellos: [] };
  for (const [frame = '', src = '', dst = '', alerts = '', types = '', versions = '', supported = '', suites = ''] of rows) {
    const ports = [Number(src), Number(dst)].sort().join();
    if (ports !== [clientPort, serverPort].sort().join()) continue;
    const from = Number(src) === serverPort ? 'server' : 'client';
    const n = Number(frame);
    for (const code of list(alerts)) result.alerts.push({ frame: n, from, code: Number(code) });
    const hello = list(types).map(Number).filter((t) => t === 1 || t === 2);
    const wire = list(versions).map((v) => Number.parseInt(v, 16));
    const extension = list(supported).map((v) => Number.parseInt(v, 16)).sort((a, b) => b - a).map(name);
    hello.forEach((type, i) => {
      const version = name(wire[i] ?? 0);
      if (type === 1) result.clientHellos.push({ frame: n, version, versions: extension.length > 0 ? extension : null, suites: Number(list(suites)[0] ?? 0) / 2 });
      else result.serverHellos.push({ frame: n, version: extension[0] ?? version });
    });
  }
  return result;
}

/** The same facts as the decoder reported them. */
export function decoded(c: CaptureConnection): Dissected {
  const result: Dissected = { alerts: [], clientHellos: [], serverHellos: [] };
  for (const s of c.steps) {
    if (s.kind === 'alert') result.alerts.push({ frame: s.packet, from: s.from, code: s.code });
    if (s.kind === 'client-hello') result.clientHellos.push({ frame: s.packet, version: s.version, versions: s.versions ? [...s.versions] : null, suites: s.suiteCount });
    if (s.kind === 'server-hello') result.serverHellos.push({ frame: s.packet, version: s.version });
  }
  return result;
}

function list(field: string): string[] {
  return field === '' ? [] : field.split(',');
}

function name(wire: number): string {
  return VERSION_NAMES[wire] ?? `0x${wire.toString(16).padStart(4, '0')}`;
}
