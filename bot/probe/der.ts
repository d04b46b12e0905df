// Just enough DER to read what node:crypto's X509Certificate does not expose on Node 20: the
// signature algorithm, distinguished names in RFC 4514 form, and subjectAltName entries. Loading a
// full ASN.1 / X.509 library costs more start-up time than the whole probe of a loopback endpoint.

export interface Tlv {
  tag: number;
  /** Offset of the tag in the buffer it was read from. */
  start: number;
  /** Content bytes. */
  value: Buffer;
  /** Offset just past this element in the buffer it was read from. */
  end: number;
}

/** Reads one DER element at `offset`; throws RangeError on truncated or over-long input. */
export function readTlv(b: Buffer, offset = 0): Tlv {
  const tag = b[offset];
  let lengthByte = b[offset + 1];
  if (tag === undefined || lengthByte === undefined) throw new RangeError('DER: truncated header');
  let pos = offset + 2;
  let length = lengthByte;
  if (lengthByte & 0x80) {
    const n = lengthByte & 0x7f;
    if (n === 0 || n > 4) throw new RangeError('DER: unsupported length');
    length = 0;
    for (let i = 0; i < n; i++) {
      lengthByte = b[pos++];
      if (lengthByte === undefined) throw new RangeError('DER: truncated length');
      length = length * 256 + lengthByte;
    }
  }
  if (pos + length > b.length) throw new RangeError('DER: element past the end');
  return { tag, start: offset, value: b.subarray(pos, pos + length), end: pos + length };
}

/** The elements inside a constructed value. */
export function children(value: Buffer): Tlv[] {
  const out: Tlv[] = [];
  for (let pos = 0; pos < value.length; ) {
    const t = readTlv(value, pos);
    out.push(t);
    pos = t.end;
  }
  return out;
}

export function oidToString(value: Buffer): string {
  const parts: number[] = [];
  let n = 0;
  for (const byte of value) {
    n = n * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      if (parts.length === 0) parts.push(n < 80 ? Math.floor(n / 40) : 2, n < 80 ? n % 40 : n - 80);
      else parts.push(n);
      n = 0;
    }
  }
  return parts.join('.');
}

const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST', '2.5.4.9': 'STREET', '2.5.4.10': 'O', '2.5.4.11': 'OU',
  '2.5.4.4': 'SN', '2.5.4.42': 'G', '2.5.4.43': 'I', '2.5.4.12': 'T', '2.5.4.5': 'serialNumber', '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.25': 'DC', '0.9.2342.19200300.100.1.1': 'UID', '1.2.840.113549.1.9.1': 'E',
};

/** String types: UTF8, Printable, T61, IA5, Visible, Universal (UCS-4), BMP (UCS-2). */
function decodeString(t: Tlv): string | undefined {
  switch (t.tag) {
    case 0x0c:
      return t.value.toString('utf8');
    case 0x13:
    case 0x14:
    case 0x16:
    case 0x1a:
      return t.value.toString('latin1');
    case 0x1e: {
      const swapped = Buffer.from(t.value);
      return swapped.swap16().toString('utf16le');
    }
    case 0x1c: {
      let s = '';
      for (let i = 0; i + 3 < t.value.length; i += 4) s += String.fromCodePoint(t.value.readUInt32BE(i));
      return s;
    }
    default:
      return undefined;
  }
}

function escapeValue(v: string): string {
  return v.replace(/[,+"\\<>;=]/g, (c) => `\\${c}`).replace(/^[ #]/, (c) => `\\${c}`).replace(/ $/, '\\ ');
}

/** RFC 4514-style text of a DER Name, RDNs in the order they are encoded, joined by ", ". */
export function nameToString(nameDer: Buffer): string {
  const rdns = children(readTlv(nameDer).value).map((set) =>
    children(set.value)
      .map((atv) => {
        const [type, value] = children(atv.value);
        if (!type || !value) throw new RangeError('DER: bad attribute');
        const oid = oidToString(type.value);
        const text = decodeString(value);
        return `${ATTRIBUTE_NAMES[oid] ?? oid}=${text === undefined ? `#${atv.value.subarray(value.start, value.end).toString('hex')}` : escapeValue(text)}`;
      })
      .join('+'),
  );
  return rdns.join(', ');
}

export interface CertificateParts {
  issuer: Buffer;
  subject: Buffer;
  signatureOid: string;
  /** RSASSA-PSS hash OID from the parameters (absent: SHA-1, the PSS default). */
  pssHashOid?: string;
  /** Extension OID -> extnValue contents. */
  extensions: Map<string, Buffer>;
}

/** Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue } (RFC 5280 §4.1). */
export function certificateParts(der: Buffer): CertificateParts {
  const [tbs, sigAlg] = children(readTlv(der).value);
  if (!tbs || !sigAlg) throw new RangeError('DER: not a certificate');
  const fields = children(tbs.value);
  const start = fields[0]?.tag === 0xa0 ? 1 : 0; // [0] version is optional
  const issuer = fields[start + 2];
  const subject = fields[start + 4];
  if (!issuer || !subject) throw new RangeError('DER: short tbsCertificate');
  const whole = (t: Tlv): Buffer => tbs.value.subarray(t.start, t.end);
  const [algOid, params] = children(sigAlg.value);
  const parts: CertificateParts = { issuer: whole(issuer), subject: whole(subject), signatureOid: algOid ? oidToString(algOid.value) : 'unknown', extensions: new Map() };
  if (parts.signatureOid === '1.2.840.113549.1.1.10' && params) {
    const hashField = children(params.value).find((c) => c.tag === 0xa0);
    const hashAlg = hashField ? children(hashField.value)[0] : undefined;
    const hashOid = hashAlg ? children(hashAlg.value)[0] : undefined;
    if (hashOid) parts.pssHashOid = oidToString(hashOid.value);
  }
  const extField = fields.find((f) => f.tag === 0xa3);
  if (extField) {
    for (const ext of children(children(extField.value)[0]?.value ?? Buffer.alloc(0))) {
      const items = children(ext.value);
      const id = items[0];
      const value = items[items.length - 1];
      if (id && value) parts.extensions.set(oidToString(id.value), value.value);
    }
  }
  return parts;
}
