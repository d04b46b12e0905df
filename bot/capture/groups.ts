import type { CaptureConnection, CaptureGroup, CaptureStep } from '../../rules/index.js';

// Folds connections that went the same way into one group with a count and the first of them as
// example: thousands of identical health checks become one line, and the observation stays small
// enough to store on an incident. "The same way" ignores ports, frame numbers and data sizes.

/** Distinct kinds of connection kept with their details; later kinds are folded more coarsely. */
const FINE_GROUPS = 500;
const ALL_GROUPS = 1000;

export class GroupCollector {
  private readonly groups = new Map<string, { count: number; example: CaptureConnection }>();
  /** Connections of kinds past every bound (reported, never silently lost). */
  ungrouped = 0;

  add(c: CaptureConnection): void {
    const fine = `${c.server}|${shapeOf(c, true)}`;
    const coarse = `~|${shapeOf(c, false)}`;
    const group = this.groups.get(fine) ?? this.groups.get(coarse);
    if (group) {
      group.count += 1;
      return;
    }
    if (this.groups.size < FINE_GROUPS) this.groups.set(fine, { count: 1, example: c });
    else if (this.groups.size < ALL_GROUPS) this.groups.set(coarse, { count: 1, example: c });
    else this.ungrouped += 1;
  }

  list(): CaptureGroup[] {
    return [...this.groups.values()].map(({ count, example }) => ({ count, example }));
  }
}

/**
 * The steps in order, except TCP teardown once the handshake was ended (a fatal alert, a FIN or a
 * RST): which side closes first after that is a race, so those FINs and RSTs count as a set.
 */
function shapeOf(c: CaptureConnection, fine: boolean): string {
  const parts: string[] = [];
  const teardown = new Set<string>();
  let ended = false;
  for (const s of c.steps) {
    const part = `${s.from === 'client' ? '>' : '<'}${fine ? detail(s) : coarse(s)}`;
    const tcpEnd = s.kind === 'fin' || s.kind === 'rst';
    if (tcpEnd && ended) teardown.add(part);
    else parts.push(part);
    if (tcpEnd || (s.kind === 'alert' && s.level !== 'warning')) ended = true;
  }
  return `${c.incomplete ? 'i' : ''}${c.sawSyn ? '' : 'n'}${parts.join(' ')}|${[...teardown].sort().join(' ')}`;
}

function coarse(s: CaptureStep): string {
  if (s.kind === 'alert') return `alert:${s.description}`;
  if (s.kind === 'encrypted') return encryptedShape(s);
  return s.kind;
}

function detail(s: CaptureStep): string {
  switch (s.kind) {
    case 'client-hello':
      return `ch:${s.format}:${s.version}:${s.versions?.join('/') ?? ''}:${s.suiteCount}:${s.sni ?? ''}`;
    case 'server-hello':
      return `sh:${s.version}:${s.suite}:${s.helloRetry}`;
    case 'certificate':
      return `cert:${s.count}:${s.chain.map((n) => n.subject).join('/')}`;
    case 'certificate-request':
      return `cr:${s.authorities.join('/')}`;
    case 'handshake':
      return s.name;
    case 'http-request':
    case 'plaintext':
      return `${s.kind}:${s.text}`;
    default:
      return coarse(s);
  }
}

/** What matters of encrypted records: one the size of an alert, or data. */
function encryptedShape(s: Extract<CaptureStep, { kind: 'encrypted' }>): string {
  if (s.alert) return 'enc-alert';
  return s.records === 1 && (s.sizes[0] === 19 || s.sizes[0] === 11) ? 'enc-alert-sized' : 'enc';
}
