// "host:port" strings as logs and targets write them: IPv4:port, [IPv6]:port, name:port, or bare.

/** The host part of "host:port" ("[::1]:443" -> "::1"; a bare IPv6 address is returned whole). */
export function hostOf(hostPort: string): string {
  const bracketed = /^\[([^\]]+)\]/.exec(hostPort);
  if (bracketed?.[1]) return bracketed[1];
  return hostPort.split(':').length === 2 ? hostPort.slice(0, hostPort.lastIndexOf(':')) : hostPort;
}
