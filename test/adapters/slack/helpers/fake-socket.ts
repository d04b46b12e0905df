import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

// Slack's Socket Mode end on loopback: just enough WebSocket (RFC 6455: upgrade, unfragmented
// frames, ping/pong, close) to say hello, push envelopes and record the acknowledgements, without
// a WebSocket library the project does not depend on.

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export interface FakeSocketMode {
  readonly url: string;
  /** JSON messages the client sent (acks). */
  readonly received: Record<string, unknown>[];
  /** Resolves once a client is connected and has been sent hello. */
  connected(): Promise<void>;
  send(message: Record<string, unknown>): void;
  close(): Promise<void>;
}

export async function startFakeSocketMode(): Promise<FakeSocketMode> {
  const received: Record<string, unknown>[] = [];
  let socket: Duplex | undefined;
  let onConnect: (() => void) | undefined;
  const ready = new Promise<void>((resolve) => (onConnect = resolve));
  const server: Server = createServer((_req, res) => res.writeHead(426).end());

  server.on('upgrade', (req, sock: Duplex) => {
    const accept = createHash('sha1').update(`${String(req.headers['sec-websocket-key'])}${GUID}`).digest('base64');
    sock.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    socket = sock;
    let buffer = Buffer.alloc(0);
    sock.on('error', () => undefined);
    sock.on('data', (data: Buffer) => {
      buffer = Buffer.concat([buffer, data]);
      for (let frame = readFrame(buffer); frame; frame = readFrame(buffer)) {
        buffer = buffer.subarray(frame.length);
        if (frame.opcode === 0x1) received.push(JSON.parse(frame.payload.toString('utf8')) as Record<string, unknown>);
        else if (frame.opcode === 0x9) sock.write(encodeFrame(0xa, frame.payload));
        else if (frame.opcode === 0x8) {
          sock.end(encodeFrame(0x8, frame.payload.subarray(0, 2)));
          socket = undefined;
        }
      }
    });
    sock.write(encodeFrame(0x1, Buffer.from(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake' }, connection_info: { app_id: 'A1' } }))));
    onConnect?.();
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/link`,
    received,
    connected: () => ready,
    send(message) {
      if (!socket) throw new Error('no Socket Mode client connected');
      socket.write(encodeFrame(0x1, Buffer.from(JSON.stringify(message))));
    },
    close: () =>
      new Promise<void>((resolve) => {
        socket?.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function encodeFrame(opcode: number, payload: Buffer): Buffer {
  const head = payload.length < 126 ? Buffer.from([0x80 | opcode, payload.length]) : payload.length < 65536 ? Buffer.from([0x80 | opcode, 126, payload.length >> 8, payload.length & 0xff]) : encodeLong(opcode, payload.length);
  return Buffer.concat([head, payload]);
}

function encodeLong(opcode: number, length: number): Buffer {
  const head = Buffer.alloc(10);
  head[0] = 0x80 | opcode;
  head[1] = 127;
  head.writeBigUInt64BE(BigInt(length), 2);
  return head;
}

/** One client frame (always masked), or undefined until it has fully arrived. */
function readFrame(buffer: Buffer): { opcode: number; payload: Buffer; length: number } | undefined {
  if (buffer.length < 2) return undefined;
  const opcode = (buffer[0] as number) & 0x0f;
  const masked = ((buffer[1] as number) & 0x80) !== 0;
  let length = (buffer[1] as number) & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buffer.length < 4) return undefined;
    length = buffer.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buffer.length < 10) return undefined;
    length = Number(buffer.readBigUInt64BE(2));
    offset = 10;
  }
  const maskBytes = masked ? 4 : 0;
  if (buffer.length < offset + maskBytes + length) return undefined;
  const mask = buffer.subarray(offset, offset + maskBytes);
  const payload = Buffer.from(buffer.subarray(offset + maskBytes, offset + maskBytes + length));
  if (masked) for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] as number) ^ (mask[i % 4] as number);
  return { opcode, payload, length: offset + maskBytes + length };
}
