import type { LineContext } from '../../types.js';

// nginx and Apache httpd number their connections in the error log, which is what lets a long
// error log be split into connections (and counted) the way DataPower's tid does.

// 2026/11/22 08:00:00 [info] 123#123: *7 SSL_do_handshake() failed (...) while SSL handshaking, client: 127.0.0.1, server: 0.0.0.0:8443
const NGINX = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[[a-z]{3,6}\] \d{1,10}#\d{1,10}: (?:\*(\d{1,20}) )?/;
const NGINX_CLIENT = /, client: ([^,\s]{1,64})/;
const NGINX_SERVER = /, server: ([^,\s]{1,255})/;
const NGINX_UPSTREAM = /, upstream: "?[a-z]{2,8}:\/\/([^"/,\s]{1,255})/;

// [Sun Nov 22 08:00:00.123456 2026] [ssl:info] [pid 12:tid 34] [client 127.0.0.1:5555] AH02008: ... (server localhost:443)
const APACHE = /^\[[^\]]{10,40}\] \[(?:ssl|core|http|mpm_[a-z]{1,10}):[a-z0-9]{2,8}\] \[pid \d{1,10}(?::tid \d{1,20})?\]/;
const APACHE_CLIENT = /\[(?:client|remote) ([0-9a-fA-F.:]{2,45}):(\d{1,5})\]/;
const APACHE_SERVER = /\(server ([^)\s]{1,255})\)/;

export function nginxContext(line: string): LineContext | undefined {
  const head = NGINX.exec(line);
  if (!head) return undefined;
  const context: LineContext = { source: 'nginx' };
  if (head[1]) context.connection = `nginx:${head[1]}`;
  // nginx as a proxy is the TLS client of its upstream.
  if (line.includes('to upstream')) {
    context.vantage = 'client';
    const upstream = NGINX_UPSTREAM.exec(line)?.[1];
    if (upstream) context.server = upstream;
  } else if (line.includes('SSL') || line.includes('HTTPS')) {
    context.vantage = 'server';
    const server = NGINX_SERVER.exec(line)?.[1];
    if (server) context.server = server;
  }
  const client = NGINX_CLIENT.exec(line)?.[1];
  if (client) context.client = client;
  return context;
}

export function apacheContext(line: string): LineContext | undefined {
  if (!APACHE.test(line)) return undefined;
  const context: LineContext = { source: 'apache' };
  const client = APACHE_CLIENT.exec(line);
  if (client) {
    context.client = client[1];
    context.connection = `apache:${client[1]}:${client[2]}`;
  }
  const server = APACHE_SERVER.exec(line)?.[1];
  if (server) context.server = server;
  // mod_ssl proxying to a backend logs "proxy:" / "remote server"; otherwise it is the TLS server.
  context.vantage = /\[proxy[a-z_]{0,12}:|remote server/i.test(line) ? 'client' : 'server';
  return context;
}
