import type { LineContext } from '../../types.js';

// DataPower writes the same message in several layouts depending on firmware and log target:
//   20180815T125545.977Z [apiconnect][0x8120002f][ssl][error] ssl-sni-server(name): tid(17856)[192.168.99.1]: text
//   Wed Apr 07 2010 08:36:09 [mpgw][error] mpgw(test): tid(2899): text
//   [0x8120002f][ssl][error] ssl-server ... : text           (shortened in articles)
//   0x81200026 SSL handshake certificate validation error ...  (bare message id)
// Only the bracketed header and the object/tid part are parsed; the message text is left to the
// signatures. The header regex is anchored on literal brackets and bounded classes: linear time.

// At the start of the line or in brackets: Windows and .NET print 0x8009xxxx codes inside sentences.
const MESSAGE_ID = /(?:^|\[)(0x[0-9a-f]{8})(?:\]|\s|$)/i;
const BRACKETS = /\[([A-Za-z0-9_.-]{1,64})\]/g;
const OBJECT = /\b([a-z][a-z0-9-]{1,40})\(([^()\s]{1,128})\)(?::|\s)/;
/** `tid(N)` and the client address DataPower may put after it. */
export const TID = /\btid\((\d{1,20})\)(?:\[([0-9a-fA-F.:]{2,45})\])?/;
/** DataPower's header (timestamp, brackets, object, tid) fits in this many characters. */
export const HEADER_LIMIT = 600;
const LEVELS = new Set(['emerg', 'alert', 'critic', 'critical', 'error', 'warn', 'warning', 'notice', 'info', 'debug']);
// Envoy ("[2020-09-01 ...][20][debug][connection]"), Tomcat and many others also put the level in
// brackets: without a message id or a tid, only DataPower's own log categories make it DataPower's.
const CATEGORIES = new Set([
  'crypto', 'ssl', 'mpgw', 'xmlfirewall', 'wsgw', 'xslproxy', 'xslcoproc', 'multistep', 'network', 'system', 'mgmt',
  'auth', 'aaapolicy', 'cert-monitor', 'xmlmgr', 'webgui', 'ws-proxy', 'b2bgw', 'apigw', 'apic-gw-service',
  'gatewayscript', 'valcred', 'idcred', 'sslproxy', 'ssl-client', 'ssl-server', 'ssl-sni-server', 'http', 'ftp',
]);

// Which side of the handshake an object type puts DataPower on.
const SERVER_OBJECTS = new Set(['ssl-server', 'ssl-sni-server', 'source-https', 'source-ssl', 'https-source']);
const CLIENT_OBJECTS = new Set(['ssl-client']);

export interface DataPowerHeader {
  messageId?: string;
  category?: string;
  level?: string;
  domain?: string;
  objectType?: string;
  objectName?: string;
  tid?: string;
  clientIp?: string;
}

/** Parses the DataPower header of a line, or returns undefined when the line is not DataPower's. */
export function parseDataPowerHeader(line: string): DataPowerHeader | undefined {
  const head = line.length > HEADER_LIMIT ? line.slice(0, HEADER_LIMIT) : line;
  const id = MESSAGE_ID.exec(head);
  const brackets: string[] = [];
  BRACKETS.lastIndex = 0;
  for (let m = BRACKETS.exec(head); m && brackets.length < 6; m = BRACKETS.exec(head)) brackets.push(m[1] ?? '');
  const levelAt = brackets.findIndex((b) => LEVELS.has(b.toLowerCase()));
  const tid = TID.exec(head);
  if (!id && !tid && !(levelAt >= 1 && CATEGORIES.has((brackets[levelAt - 1] ?? '').toLowerCase()))) return undefined;

  const header: DataPowerHeader = {};
  if (id?.[1]) header.messageId = id[1].toLowerCase();
  if (levelAt >= 1) {
    header.level = brackets[levelAt]?.toLowerCase();
    header.category = brackets[levelAt - 1];
    // [domain][0xid][category][level]: the domain is the bracket before the message id, if any.
    const before = brackets.slice(0, levelAt - 1).filter((b) => !/^0x[0-9a-f]{8}$/i.test(b));
    if (before.length > 0) header.domain = before[before.length - 1];
  }
  const object = OBJECT.exec(head);
  if (object) {
    header.objectType = object[1];
    header.objectName = object[2];
  } else {
    // Shortened form: "[ssl][error] ssl-server ... : text".
    const bare = /\]\s+([a-z][a-z0-9-]{1,40})\s+(?:\.\.\.|:)/.exec(head);
    if (bare) header.objectType = bare[1];
  }
  if (tid) {
    header.tid = tid[1];
    if (tid[2]) header.clientIp = tid[2];
  }
  return header;
}

export function dataPowerContext(header: DataPowerHeader): LineContext {
  const context: LineContext = { source: 'datapower' };
  if (header.tid) context.connection = `datapower:${header.tid}`;
  if (header.domain) context.domain = header.domain;
  if (header.objectType) {
    context.object = header.objectName ? `${header.objectType}(${header.objectName})` : header.objectType;
    if (SERVER_OBJECTS.has(header.objectType)) context.vantage = 'server';
    else if (CLIENT_OBJECTS.has(header.objectType)) context.vantage = 'client';
  }
  if (header.clientIp) context.client = header.clientIp;
  return context;
}
