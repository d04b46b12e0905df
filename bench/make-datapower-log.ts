import { createWriteStream } from 'node:fs';

// A synthetic DataPower-style log: mostly ordinary traffic lines (the bulk of a real log target),
// with TLS failures of the article's scenarios interleaved, each as its connection's lines with a
// tid. Lines are in the [GH10] layout. Deterministic (no Math.random) so runs are comparable.

const NOISE = [
  (t: number) => `[apiconnect][0x80e0027d][mpgw][info] mpgw(webapi): tid(${t})[10.20.1.${t % 250}]: Received HTTP/1.1 POST for /orders/v1/items from 10.20.1.${t % 250}`,
  (t: number) => `[apiconnect][0x80e0003e][mpgw][info] mpgw(webapi): tid(${t})[10.20.1.${t % 250}]: Transaction completed with status 200 in ${t % 900} ms`,
  (t: number) => `[apiconnect][0x80e0052e][xmlfirewall][debug] xmlfirewall(fw-orders): tid(${t}): Starting SSL termination of connection 10.20.1.${t % 250}:${40000 + (t % 20000)} 10.1.1.10:443`,
  (t: number) => `[apiconnect][0x80c00010][multistep][info] rule(webapi_request): tid(${t}): rule (webapi_request) executed in ${t % 50} ms`,
  (t: number) => `[apiconnect][0x8240001c][schema][debug] xmlfirewall(fw-orders): tid(${t}): Parsing document with 14 elements`,
];
const FAILURES = [
  ['error:140760FC:SSL routines:SSL23_GET_CLIENT_HELLO:unknown protocol'],
  ['error:1408A0C1:SSL routines:ssl3_get_client_hello:no shared cipher'],
  ['error:1407609C:SSL routines:SSL23_GET_CLIENT_HELLO:http request'],
  ['error:14094418:SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca', 'error:140940E5:SSL routines:ssl3_read_bytes:ssl handshake failure'],
];

export async function writeDataPowerLog(path: string, bytes: number): Promise<{ lines: number; failures: number }> {
  const out = createWriteStream(path);
  let written = 0;
  let lines = 0;
  let failures = 0;
  let tid = 1000;
  let batch: string[] = [];
  const stamp = (n: number): string => `20261122T${String(8 + Math.floor(n / 3_600_000) % 10).padStart(2, '0')}${String(Math.floor(n / 60_000) % 60).padStart(2, '0')}${String(Math.floor(n / 1000) % 60).padStart(2, '0')}.${String(n % 1000).padStart(3, '0')}Z`;
  while (written < bytes) {
    tid += 1;
    let entries: string[];
    if (tid % 40 === 0) {
      failures += 1;
      const failure = FAILURES[(tid / 40) % FAILURES.length] as string[];
      entries = [
        ...failure.map((f) => `[apiconnect][0x8120002f][ssl][error] ssl-server(front-ssl): tid(${tid})[10.30.0.${tid % 250}]: SSL library error: ${f}`),
        `[apiconnect][0x81200025][ssl][error] ssl-server(front-ssl): tid(${tid})[10.30.0.${tid % 250}]: SSL peer did not send a certificate during the handshake`,
        `[apiconnect][0x80e00130][http][error] source-https(front-https): tid(${tid})[10.30.0.${tid % 250}]: could not establish SSL for incoming connection`,
      ];
    } else entries = [NOISE[tid % NOISE.length]!(tid), NOISE[(tid + 1) % NOISE.length]!(tid)];
    for (const e of entries) {
      const line = `${stamp(lines)} ${e}\n`;
      batch.push(line);
      written += line.length;
      lines += 1;
    }
    if (batch.length >= 2000) {
      if (!out.write(batch.join(''))) await new Promise<void>((r) => out.once('drain', () => r()));
      batch = [];
    }
  }
  out.write(batch.join(''));
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return { lines, failures };
}
