// A packet capture is evidence too. bot/capture reads the file (pcap, pcapng), reassembles each TCP
// connection and decodes what TLS leaves in clear; it reduces each connection to the steps below.
// Connections whose steps read the same are folded into one group (a capture of a load balancer
// holds thousands of identical handshakes), which keeps the observation small enough to store on
// an incident. Names (versions, suites, alerts) are resolved by the reader, so rules/ needs no tables.

export type CaptureSide = 'client' | 'server';

interface StepBase {
  /** 1-based frame number in the file (what Wireshark and tshark show as frame.number). */
  readonly packet: number;
  readonly from: CaptureSide;
}

export interface CertificateName {
  readonly subject: string;
  readonly issuer: string;
}

export type CaptureStep = StepBase &
  (
    | { readonly kind: 'syn' | 'syn-ack' | 'fin' | 'rst' | 'change-cipher-spec' }
    /** Bytes of this direction are missing from the capture from here on: nothing after is decoded. */
    | { readonly kind: 'gap' }
    | {
        readonly kind: 'client-hello';
        /** `sslv2`: the old two-byte-header ClientHello some legacy clients still send. */
        readonly format: 'tls' | 'sslv2';
        /** The hello's own version field (TLS 1.3 clients put TLSv1.2 there). */
        readonly version: string;
        /** supported_versions, highest first, GREASE removed; null when the extension is absent. */
        readonly versions: readonly string[] | null;
        readonly suiteCount: number;
        /** IANA names in the client's order (bounded). */
        readonly suites: readonly string[];
        readonly sni: string | null;
      }
    | { readonly kind: 'server-hello'; readonly version: string; readonly suite: string; readonly helloRetry: boolean }
    | { readonly kind: 'certificate'; readonly count: number; readonly chain: readonly CertificateName[] }
    | { readonly kind: 'certificate-request'; readonly authorities: readonly string[] }
    /** A handshake message without details worth keeping: ServerKeyExchange, ServerHelloDone... */
    | { readonly kind: 'handshake'; readonly name: string }
    | { readonly kind: 'alert'; readonly level: 'warning' | 'fatal' | 'unknown'; readonly description: string; readonly code: number }
    /**
     * Records this side sent encrypted (after its ChangeCipherSpec, or after a TLS 1.3 ServerHello);
     * consecutive ones are counted together. `alert`: the record type says alert (TLS <= 1.2).
     */
    | { readonly kind: 'encrypted'; readonly records: number; readonly bytes: number; readonly sizes: readonly number[]; readonly alert: boolean }
    | { readonly kind: 'http-request'; readonly text: string }
    /** Bytes that are not TLS. `echo`: the same bytes the client sent. `mentionsTls`: the text names HTTPS/SSL/TLS. */
    | { readonly kind: 'plaintext'; readonly text: string; readonly echo: boolean; readonly mentionsTls: boolean }
    /** The direction ends inside a record: the capture stopped, or the bytes never came. */
    | { readonly kind: 'partial'; readonly bytes: number }
  );

export type CaptureStepKind = CaptureStep['kind'];

export interface CaptureConnection {
  /** "ip:port" ("[v6]:port"): the side that sent the SYN, else the one that looks like a client. */
  readonly client: string;
  readonly server: string;
  readonly firstPacket: number;
  readonly lastPacket: number;
  /** ISO time of the first packet, null when the capture holds no usable time. */
  readonly startedAt: string | null;
  /** False when the capture missed the SYN: who is client was inferred. */
  readonly sawSyn: boolean;
  /** Bytes of a direction are missing (dropped segments, a short snap length): the steps stop there. */
  readonly incomplete: boolean;
  /** TCP payload bytes sent by each side. */
  readonly bytes: { readonly client: number; readonly server: number };
  readonly steps: readonly CaptureStep[];
  /** Steps past the per-connection bound (long sessions). */
  readonly stepsOmitted: number;
}

export interface CaptureGroup {
  /** Connections whose steps read the same as the example (addresses, ports and sizes aside). */
  readonly count: number;
  readonly example: CaptureConnection;
}

export interface CaptureObservation {
  /** File name as given. */
  readonly name: string;
  readonly format: 'pcap' | 'pcapng';
  readonly packets: number;
  readonly tcpPackets: number;
  /** TCP connections seen (the groups' counts add up to it). */
  readonly connections: number;
  readonly groups: readonly CaptureGroup[];
  /** The file ends inside a packet or block: a capture cut short or a partial upload. */
  readonly truncated: boolean;
  /** What could not be read (unsupported link types, a corrupt block), as sentences. */
  readonly problems: readonly string[];
  readonly firstAt: string | null;
  readonly lastAt: string | null;
}
