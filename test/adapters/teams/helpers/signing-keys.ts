import { createHmac, createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// The Bot Framework's token signing keys, published on 127.0.0.1 as login.botframework.com
// publishes them (an OpenID configuration pointing at a JWKS with endorsements), and tokens signed
// the way the Bot Connector signs them, or forged the ways an attacker would.

export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

export interface SigningKeys {
  /** The OpenID configuration URL (teams.openIdMetadataUrl). */
  readonly metadataUrl: string;
  readonly kid: string;
  readonly privateKey: KeyObject;
  /** The public key as PEM: what an HS256 forgery uses as its "secret". */
  readonly publicPem: string;
  close(): Promise<void>;
}

export async function startSigningKeys(): Promise<SigningKeys> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = 'test-key-1';
  const jwk = publicKey.export({ format: 'jwk' });
  let base = '';
  const server: Server = createServer((req, res) => {
    if (req.url === '/.well-known/openidconfiguration') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer: BOT_FRAMEWORK_ISSUER, jwks_uri: `${base}/keys` }));
    } else if (req.url === '/keys') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [{ kty: 'RSA', use: 'sig', kid, n: jwk.n, e: jwk.e, endorsements: ['msteams'] }] }));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    metadataUrl: `${base}/.well-known/openidconfiguration`,
    kid,
    privateKey,
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const b64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

export interface TokenOptions {
  readonly appId: string;
  readonly serviceUrl: string;
  /** Seconds from now; negative for an expired token. */
  readonly expiresIn?: number;
  readonly issuer?: string;
}

function claims(options: TokenOptions): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  const exp = now + (options.expiresIn ?? 3600);
  return { iss: options.issuer ?? BOT_FRAMEWORK_ISSUER, aud: options.appId, serviceurl: options.serviceUrl, nbf: Math.min(now, exp) - 3600, iat: Math.min(now, exp) - 3600, exp };
}

/** An RS256 token signed with `key` under key id `kid`. */
export function rs256Token(key: KeyObject, kid: string, options: TokenOptions): string {
  const input = `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }))}.${b64url(JSON.stringify(claims(options)))}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(key).toString('base64url')}`;
}

/** alg "none": no signature at all. */
export function unsignedToken(kid: string, options: TokenOptions): string {
  return `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT', kid }))}.${b64url(JSON.stringify(claims(options)))}.`;
}

/** HS256 with the published public key as the HMAC secret (the algorithm confusion attack). */
export function hs256Token(secret: string, kid: string, options: TokenOptions): string {
  const input = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid }))}.${b64url(JSON.stringify(claims(options)))}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}
