import { enabledProtocols, EXPORT_PROTOCOLS, PROTOCOL_LABELS, type ExportProtocol } from './signals.js';
import { contradiction, explicitlyOff, isAre, list, protocolState, setting, where, type ExportAdvice, type Subject } from './words.js';
import type { CauseId } from '../vocabulary.js';

// Protocol and cipher causes against a profile's <Protocols> switches and <Ciphers> list. `front`
// says DataPower is the TLS server with this profile (an SSL Server Profile); otherwise it is the
// client (an SSL Client Profile) and "too old" / "too new" point the other way.

const TLS: readonly ExportProtocol[] = ['TLSv1d0', 'TLSv1d1', 'TLSv1d2', 'TLSv1d3'];
const CIPHERS_SHOWN = 10;
const label = (p: ExportProtocol): string => PROTOCOL_LABELS[p];
const index = (p: ExportProtocol): number => EXPORT_PROTOCOLS.indexOf(p);

export function protocolAdvice(cause: CauseId, s: Subject, front: boolean): ExportAdvice | undefined {
  const p = s.profile;
  if (p.protocols === null) return { steps: [`${where(s)}: the export shows no Protocols for it, so which versions it allows cannot be read here`], settings: [] };
  const on = enabledProtocols(p);
  const lowest = on[0];
  const highest = on[on.length - 1];
  if (!lowest || !highest) {
    return { steps: [`${where(s)}: every switch under Protocols is off, so it completes no handshake at all: switch TLSv1d2 on`], settings: [setting(p, 'Protocols', 'all off')] };
  }
  const below = explicitlyOff(p, TLS.filter((x) => index(x) < index(lowest)));
  const above = explicitlyOff(p, TLS.filter((x) => index(x) > index(highest)));
  const offSettings = (xs: readonly ExportProtocol[]) => xs.map((x) => setting(p, `Protocols > ${x}`, 'off'));
  switch (cause) {
    case 'protocol-too-old': {
      if (front) {
        const top = below[below.length - 1];
        if (!top) return contradiction(s, `Protocols > ${lowest} is on (${protocolState(p)})`, `Protocols > ${lowest}`, 'on');
        const target = on.includes('TLSv1d2') ? 'TLS 1.2' : label(highest);
        const switchOn = below.length === 1 ? `switch ${top} on` : `switch on the one it offers (${below.map((x) => `${x} for ${label(x)}`).join(', ')})`;
        return {
          steps: [`${where(s)}: Protocols > ${list(below)} ${isAre(below)} off; the client offers at most ${label(top)}. Move the client to ${target} (preferred) or, with the security team's consent, ${switchOn}`],
          settings: offSettings(below),
        };
      }
      const next = above[0];
      if (!next) return contradiction(s, `Protocols > ${highest} is on (${protocolState(p)})`, `Protocols > ${highest}`, 'on');
      const wanted = above.includes('TLSv1d2') ? 'TLSv1d2' : next;
      return {
        steps: [`${where(s)}: Protocols > ${list(above)} ${isAre(above)} off; DataPower offers at most ${label(highest)} and the backend requires a newer version. Switch ${wanted} on in '${p.name}'`],
        settings: offSettings(above),
      };
    }
    case 'protocol-too-new': {
      if (front) {
        const next = above[0];
        if (!next) return contradiction(s, `Protocols > ${highest} is on (${protocolState(p)})`, `Protocols > ${highest}`, 'on');
        const also = above.includes('TLSv1d3') && next !== 'TLSv1d3' ? ', and TLSv1d3 where the clients have it' : '';
        return {
          steps: [`${where(s)}: Protocols > ${list(above)} ${isAre(above)} off (${protocolState(p)}); the client offers only ${label(next)} or newer. Switch ${next} on (preferred${also}), or let the client also offer ${label(highest)}`],
          settings: offSettings(above),
        };
      }
      const prev = below[below.length - 1];
      if (!prev) return contradiction(s, `Protocols > ${lowest} is on (${protocolState(p)})`, `Protocols > ${lowest}`, 'on');
      return {
        steps: [`${where(s)}: Protocols has only ${list(on)} on; the backend supports at most an older version. Upgrade the backend to ${label(lowest)} (preferred) or, with the security team's consent, switch ${prev} on in '${p.name}'`],
        settings: offSettings(below),
      };
    }
    case 'protocol-mismatch':
      return {
        steps: [`${where(s)}: Protocols ${protocolState(p)}. The other side must offer one of those that are on: compare with openssl s_client -connect <host>:<port> -tls1_2 (and -tls1_1, -tls1)`],
        settings: [setting(p, 'Protocols', protocolState(p))],
      };
    case 'legacy-ssl': {
      const sslv3 = p.protocols.SSLv3;
      if (sslv3 === true) return contradiction(s, 'Protocols > SSLv3 is on', 'Protocols > SSLv3', 'on');
      if (sslv3 === undefined) return { steps: [`${where(s)}: Protocols ${protocolState(p)}; the client speaks SSLv3 or SSLv2, which this profile does not offer. Move the client to TLS 1.2`], settings: [] };
      return {
        steps: [`${where(s)}: Protocols > SSLv3 is off, as it should be; the client speaks SSLv3 (or SSLv2). Move the client to TLS 1.2; do not switch SSLv3 on`],
        settings: [setting(p, 'Protocols > SSLv3', 'off')],
      };
    }
    default:
      return undefined;
  }
}

export function cipherAdvice(s: Subject, front: boolean): ExportAdvice {
  const p = s.profile;
  const ciphers = p.ciphers;
  if (!ciphers || ciphers.length === 0) return { steps: [`${where(s)}: the export lists no Ciphers for it, so its cipher list cannot be compared here`], settings: [] };
  const shown = ciphers.slice(0, CIPHERS_SHOWN).join(', ');
  const more = ciphers.length > CIPHERS_SHOWN ? ` and ${ciphers.length - CIPHERS_SHOWN} more` : '';
  const peer = front ? 'the client offers none of them' : 'DataPower offers these and the backend accepts none of them';
  return {
    steps: [
      `${where(s)}: Ciphers (${ciphers.length}): ${shown}${more}; ${peer} (Protocols ${protocolState(p)}). Add a cipher both sides support to '${p.name}' > Ciphers, or change the ${front ? "client's" : "backend's"} list`,
    ],
    settings: [setting(p, 'Ciphers', `${ciphers.length} cipher(s)`)],
  };
}
