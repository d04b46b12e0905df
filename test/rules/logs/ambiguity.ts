// What the evidence cannot tell. Each entry: the scenario's ground truth, the cause a fixture may be
// diagnosed as instead, and why no rule can do better from that text alone. The diagnosis text
// names the alternative in these cases (see docs/causes.md, "What a log cannot tell").
export const AMBIGUOUS: ReadonlyArray<{ truth: string; diagnosed: string; side?: 'server' | 'client'; why: string }> = [
  { truth: 'protocol-too-old', diagnosed: 'protocol-mismatch', why: "OpenSSL 1.1/3.x write 'unsupported protocol' and clients receive 'protocol_version' for both directions" },
  { truth: 'protocol-too-new', diagnosed: 'protocol-mismatch', why: 'same lines as protocol-too-old' },
  { truth: 'protocol-too-new', diagnosed: 'handshake-aborted', side: 'server', why: "the server only receives the OpenSSL 3 client's internal_error alert (legacy sigalg refused on the client)" },
  { truth: 'server-chain-incomplete', diagnosed: 'server-cert-untrusted', why: "verify error 20 / PKIX / 'unknown authority': a missing intermediate and an untrusted CA read the same" },
  { truth: 'server-cert-untrusted', diagnosed: 'server-chain-incomplete', side: 'client', why: "a leaf from an unknown CA sent alone gives 'unable to verify the first certificate'" },
  { truth: 'server-cert-hostname-mismatch', diagnosed: 'server-cert-untrusted', side: 'server', why: "the server only sees the client's bad_certificate / certificate_unknown alert" },
  { truth: 'server-cert-expired', diagnosed: 'server-cert-untrusted', side: 'server', why: 'Java clients answer an expired certificate with certificate_unknown' },
  { truth: 'server-chain-incomplete', diagnosed: 'handshake-aborted', side: 'server', why: "Go servers log only 'bad record MAC' when the client aborts" },
  { truth: 'server-cert-untrusted', diagnosed: 'handshake-aborted', side: 'server', why: "Go servers log only 'bad record MAC' when the client aborts" },
  { truth: 'server-cert-expired', diagnosed: 'handshake-aborted', side: 'server', why: "Go servers log only 'bad record MAC' when the client aborts" },
  { truth: 'client-cert-untrusted', diagnosed: 'handshake-aborted', side: 'server', why: 'Node and Go test servers log no reason (socket hang up / bad record MAC)' },
  { truth: 'client-cert-expired', diagnosed: 'handshake-aborted', side: 'server', why: 'Node test server logs no reason (socket hang up)' },
  { truth: 'client-cert-untrusted', diagnosed: 'client-cert-missing', side: 'client', why: 'Java and Go clients send no certificate when theirs is not from a CA the server lists' },
  { truth: 'client-cert-untrusted', diagnosed: 'server-cert-untrusted', side: 'client', why: 'Node prints the received unknown_ca alert with nothing that names its side' },
  { truth: 'client-cert-expired', diagnosed: 'server-cert-expired', side: 'client', why: 'Node prints the received certificate_expired alert with nothing that names its side' },
  { truth: 'plain-http-on-tls-port', diagnosed: 'unknown', side: 'client', why: "curl only says 'Empty reply from server' / 'CONNECT tunnel failed'" },
  { truth: 'plain-http-on-tls-port', diagnosed: 'unknown', side: 'server', why: "nginx logs a CONNECT to its TLS port as an ordinary 'invalid request'" },
  { truth: 'client-cert-accepted', diagnosed: 'unknown', side: 'server', why: "s_server's 'verify return:1' lines are not a success message" },
];

export function isAcceptedAmbiguity(truth: string, diagnosed: string, side: string | undefined): boolean {
  return AMBIGUOUS.some((a) => a.truth === truth && a.diagnosed === diagnosed && (a.side === undefined || a.side === side));
}

/** Causes that claim nothing specific: with the truth among their alternatives they are a calibrated answer, never a wrong one. */
export const GENERIC_CAUSES: ReadonlySet<string> = new Set(['handshake-aborted', 'protocol-mismatch', 'unknown']);

/** The causes a scenario's text may also be read as (the entries above for its truth and side). */
export function acceptedAmbiguities(truth: string, side: string | undefined): string[] {
  return AMBIGUOUS.filter((a) => a.truth === truth && (a.side === undefined || a.side === side)).map((a) => a.diagnosed);
}
