// The client side of a TLS 1.3 handshake up to the server's first flight, without I/O: bytes in,
// bytes to send out. It offers one key share, answers a HelloRetryRequest with the group asked
// for, runs the key schedule and decrypts EncryptedExtensions, CertificateRequest and Certificate,
// so the certificate chain exactly as sent and the client-certificate request (with its
// certificate_authorities) are read even though TLS 1.3 encrypts them. It never sends a
// Certificate or Finished: the connection is dropped once the server's Certificate is read.
// Kept apart from the socket so a STARTTLS preamble or another ClientHello profile can drive it.
import { buildClientHello, type ClientHelloOptions } from '../client-hello.js';
import { parseServerHello, Reader, type ServerHelloInfo } from '../server-flight.js';
import { CONTENT_TYPE, EXT, HANDSHAKE_TYPE } from '../tls-constants.js';
import { createKeyShare, KEY_SHARE_GROUPS, type KeyShare } from './key-share.js';
import { serverHandshakeSecret, trafficKeys, transcriptHash } from './key-schedule.js';
import { RecordDecrypter, TLS13_SUITES } from './record-protection.js';
import { randomBytes } from 'node:crypto';

export type Tls13Outcome =
  /** The server's Certificate (or Finished) was decrypted. */
  | 'flight-read'
  | 'alert'
  /** The server answered with a version other than TLS 1.3. */
  | 'not-tls13'
  /** The server chose a group or suite this client cannot finish (e.g. ffdhe). */
  | 'unsupported-choice'
  | 'decrypt-failed'
  | 'malformed';

export interface Tls13CertificateRequest {
  /** DER DistinguishedNames from the certificate_authorities extension. */
  authorities: Buffer[];
  /** signature_algorithms the server accepts for the client's CertificateVerify. */
  signatureAlgorithms: number[];
}

export interface Tls13Flight {
  outcome: Tls13Outcome;
  serverHello?: ServerHelloInfo;
  /** Group a HelloRetryRequest asked for (answered with a share of that group). */
  retryGroup?: number;
  certificates?: Buffer[];
  certificateRequest?: Tls13CertificateRequest;
  /** The signature scheme of the server's CertificateVerify (read when the profile asks for it). */
  certificateVerifyScheme?: number;
  alert?: { level: number; description: number };
  detail?: string;
}

/** Hard bounds: a server cannot make the probe buffer more than this. */
const MAX_FLIGHT_BYTES = 512 * 1024;
const MAX_RECORD = 16384 + 256;

/** What another client's ClientHello needs from the conversation to be built anew after a retry. */
export interface HelloParts {
  keyShares: { group: number; key: Buffer }[];
  random: Buffer;
  sessionId: Buffer;
  cookie?: Buffer;
}

export type Tls13Profile = Partial<Pick<ClientHelloOptions, 'servername' | 'suites' | 'groups'>> & {
  /** Builds the whole ClientHello record (an emulated client's, bot/probe/profile-hello.ts) instead of the probe's. */
  hello?: (parts: HelloParts) => Buffer;
  /** Groups to send key shares for (default x25519); groups node:crypto cannot do are left out. */
  keyShareGroups?: readonly number[];
  /** Read on to the server's CertificateVerify, for its signature scheme. */
  untilCertificateVerify?: boolean;
};

export class Tls13Conversation {
  private readonly random = randomBytes(32);
  private readonly sessionId = randomBytes(32);
  private shares: KeyShare[];
  private transcript: Buffer[] = [];
  private firstHello: Buffer | undefined;
  private records = Buffer.alloc(0);
  private readonly plainHandshake = new HandshakeBuffer();
  private readonly secretHandshake = new HandshakeBuffer();
  private decrypter: RecordDecrypter | undefined;
  private received = 0;
  readonly result: Tls13Flight = { outcome: 'malformed' };
  done = false;

  constructor(private readonly profile: Tls13Profile) {
    const groups = profile.keyShareGroups ?? [29];
    this.shares = groups.flatMap((g) => createKeyShare(g) ?? []);
    if (this.shares.length === 0) this.shares = [createKeyShare(29) as KeyShare];
  }

  private hello(cookie?: Buffer): Buffer {
    const keyShares = this.shares.map((s) => ({ group: s.group, key: s.publicValue }));
    const record = this.profile.hello
      ? this.profile.hello({ keyShares, random: this.random, sessionId: this.sessionId, ...(cookie ? { cookie } : {}) })
      : buildClientHello({
          protocol: 'TLSv1.3',
          suites: this.profile.suites ?? Object.keys(TLS13_SUITES).map(Number),
          groups: this.profile.groups ?? KEY_SHARE_GROUPS,
          keyShares,
          random: this.random,
          sessionId: this.sessionId,
          ...(cookie ? { cookie } : {}),
          ...(this.profile.servername ? { servername: this.profile.servername } : {}),
        });
    const message = record.subarray(5);
    if (this.firstHello === undefined) this.firstHello = message;
    else this.transcript.push(message);
    return record;
  }

  /** The first ClientHello record to send. */
  start(): Buffer {
    return this.hello();
  }

  private finish(outcome: Tls13Outcome, detail?: string): void {
    this.result.outcome = outcome;
    if (detail) this.result.detail = detail;
    this.done = true;
  }

  /** Feeds bytes from the server; returns bytes to send back (the second ClientHello), if any. */
  push(chunk: Buffer): Buffer | undefined {
    if (this.done) return undefined;
    this.received += chunk.length;
    if (this.received > MAX_FLIGHT_BYTES) return void this.finish('malformed', `server flight over ${MAX_FLIGHT_BYTES} bytes`);
    this.records = Buffer.concat([this.records, chunk]);
    let reply: Buffer | undefined;
    while (!this.done && this.records.length >= 5) {
      const type = this.records[0] ?? 0;
      const length = this.records.readUInt16BE(3);
      if (type < 20 || type > 23 || this.records[1] !== 3 || length > MAX_RECORD) return void this.finish('malformed', 'bad record header');
      if (this.records.length < 5 + length) break;
      const header = this.records.subarray(0, 5);
      const body = this.records.subarray(5, 5 + length);
      this.records = this.records.subarray(5 + length);
      try {
        reply = this.record(type, header, body) ?? reply;
      } catch (error) {
        this.finish(error instanceof RangeError ? 'malformed' : 'decrypt-failed', (error as Error).message);
      }
    }
    return reply;
  }

  private record(type: number, header: Buffer, body: Buffer): Buffer | undefined {
    if (type === CONTENT_TYPE.changeCipherSpec) return undefined; // middlebox compatibility only
    if (type === CONTENT_TYPE.alert) return void this.alert(body);
    if (type === CONTENT_TYPE.handshake) {
      this.plainHandshake.push(body);
      return this.plainMessages();
    }
    if (!this.decrypter) return void this.finish('malformed', 'encrypted record before ServerHello');
    const inner = this.decrypter.decrypt(header, body);
    if (inner.contentType === CONTENT_TYPE.alert) return void this.alert(inner.content);
    if (inner.contentType !== CONTENT_TYPE.handshake) return undefined;
    this.secretHandshake.push(inner.content);
    for (const [msgType, msg] of this.secretHandshake.messages()) {
      if (msgType === HANDSHAKE_TYPE.certificateRequest) this.result.certificateRequest = parseCertificateRequest13(msg);
      if (msgType === HANDSHAKE_TYPE.certificate) {
        this.result.certificates = parseCertificate13(msg);
        if (!this.profile.untilCertificateVerify) return void this.finish('flight-read');
      }
      if (msgType === HANDSHAKE_TYPE.certificateVerify) {
        this.result.certificateVerifyScheme = msg.readUInt16BE(0);
        return void this.finish('flight-read');
      }
      if (msgType === HANDSHAKE_TYPE.finished) return void this.finish('flight-read');
    }
    return undefined;
  }

  private alert(body: Buffer): void {
    this.result.alert = { level: body[0] ?? 0, description: body[1] ?? 0 };
    this.finish('alert');
  }

  private plainMessages(): Buffer | undefined {
    for (const [msgType, msg, whole] of this.plainHandshake.messages()) {
      if (msgType !== HANDSHAKE_TYPE.serverHello) return void this.finish('malformed', `unexpected handshake message ${msgType}`);
      const hello = parseServerHello(msg);
      if (hello.version !== 'TLSv1.3') {
        this.result.serverHello = hello;
        return void this.finish('not-tls13', `server chose ${hello.version}`);
      }
      const suite = TLS13_SUITES[hello.cipherSuite];
      if (!suite) return void this.finish('unsupported-choice', `suite 0x${hello.cipherSuite.toString(16)}`);
      if (hello.helloRetryRequest) {
        if (this.result.retryGroup !== undefined) return void this.finish('malformed', 'second HelloRetryRequest');
        const group = hello.keyShareGroup ?? this.shares[0]?.group ?? 29;
        this.result.retryGroup = group;
        this.result.serverHello = hello;
        const share = createKeyShare(group);
        if (!share || this.shares.some((s) => s.group === group)) return void this.finish('unsupported-choice', `HelloRetryRequest for group ${group}`);
        if (this.profile.groups && !this.profile.groups.includes(group)) return void this.finish('unsupported-choice', `HelloRetryRequest for group ${group}, which the client did not offer`);
        this.shares = [share];
        // The first ClientHello enters the transcript as a synthetic message_hash (RFC 8446 §4.4.1).
        const digest = transcriptHash(suite.hash, [this.firstHello as Buffer]);
        this.transcript = [Buffer.concat([Buffer.from([HANDSHAKE_TYPE.messageHash, 0, 0, digest.length]), digest]), whole];
        return this.hello(hello.cookie);
      }
      this.result.serverHello = hello;
      const share = this.shares.find((s) => s.group === hello.keyShareGroup);
      if (!share || !hello.keyShareKey) return void this.finish('malformed', 'ServerHello key_share does not match the offer');
      const messages = this.result.retryGroup === undefined ? [this.firstHello as Buffer, whole] : [...this.transcript, whole];
      const secret = serverHandshakeSecret(suite.hash, share.secret(hello.keyShareKey), transcriptHash(suite.hash, messages));
      this.decrypter = new RecordDecrypter(suite, trafficKeys(suite.hash, secret, suite.keyLength));
    }
    return undefined;
  }
}

/** Handshake messages may span records: bytes go in, complete messages come out. */
class HandshakeBuffer {
  private bytes = Buffer.alloc(0);

  push(b: Buffer): void {
    this.bytes = Buffer.concat([this.bytes, b]);
  }

  /** Each complete message as [type, body, whole message with its header]. */
  *messages(): Generator<[number, Buffer, Buffer]> {
    while (this.bytes.length >= 4) {
      const b = this.bytes;
      const length = ((b[1] ?? 0) << 16) | ((b[2] ?? 0) << 8) | (b[3] ?? 0);
      if (b.length < 4 + length) return;
      this.bytes = b.subarray(4 + length);
      yield [b[0] ?? 0, b.subarray(4, 4 + length), b.subarray(0, 4 + length)];
    }
  }
}

/** TLS 1.3 Certificate: request context, then entries of (cert_data, extensions). */
export function parseCertificate13(msg: Buffer): Buffer[] {
  const r = new Reader(msg);
  r.take(r.u8());
  const list = new Reader(r.take(r.u24()));
  const out: Buffer[] = [];
  while (list.left > 0) {
    out.push(Buffer.from(list.take(list.u24())));
    list.take(list.u16());
  }
  return out;
}

/** TLS 1.3 CertificateRequest: request context, then extensions (RFC 8446 §4.3.2). */
export function parseCertificateRequest13(msg: Buffer): Tls13CertificateRequest {
  const r = new Reader(msg);
  r.take(r.u8());
  const exts = new Reader(r.take(r.u16()));
  const out: Tls13CertificateRequest = { authorities: [], signatureAlgorithms: [] };
  while (exts.left > 0) {
    const type = exts.u16();
    const body = new Reader(exts.take(exts.u16()));
    if (type === EXT.certificateAuthorities) {
      const names = new Reader(body.take(body.u16()));
      while (names.left > 0) out.authorities.push(Buffer.from(names.take(names.u16())));
    } else if (type === EXT.signatureAlgorithms) {
      const algs = new Reader(body.take(body.u16()));
      while (algs.left > 0) out.signatureAlgorithms.push(algs.u16());
    }
  }
  return out;
}
