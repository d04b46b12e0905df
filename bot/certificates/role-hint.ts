// What the user says a certificate is for. Key usage alone cannot tell a client certificate that
// lacks clientAuth (the very mistake to catch) from a server certificate, so words around the
// certificate count: "our client cert", "mTLS", a file named client.pem.

// Base64 has no spaces, dashes or underscores, and these words need a word boundary on each side:
// a PEM body does not produce them by chance, so the blocks need not be cut out first.
const CLIENT = /\b(?:client[ _-]?(?:cert|certificate|auth)s?|mtls|mutual tls)\b/i;
const SERVER = /\bserver[ _-]?(?:cert|certificate)s?\b/i;
const WINDOW = 100_000;

/** 'client' or 'server' when the words name exactly one of them; undefined otherwise. */
export function declaredRole(words: string): 'client' | 'server' | undefined {
  const text = words.length > WINDOW ? words.slice(0, WINDOW) : words;
  const client = CLIENT.test(text);
  const server = SERVER.test(text);
  if (client === server) return undefined;
  return client ? 'client' : 'server';
}

/** File names are a weaker hint, read only as "client" (client.pem, alice-client-cert.crt). */
export function roleFromFileName(name: string): 'client' | undefined {
  const word = (w: string): boolean => new RegExp(`(?:^|[^a-z])${w}(?:[^a-z]|$)`, 'i').test(name);
  // client-ca.pem is the CA that issues client certificates, not one of them.
  return word('client') && !word('ca') ? 'client' : undefined;
}
