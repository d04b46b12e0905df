// Shared call shape for the live tests: loopback only, generous deadline.
import { runProbeEngine, type EngineOptions, type ProbeEngineReport, type ProtocolName, type ProtocolReport } from '../../../../bot/probe/engine.js';

export function probe(port: number, extra: Partial<EngineOptions> = {}): Promise<ProbeEngineReport> {
  return runProbeEngine({ address: '127.0.0.1', port, servername: 'localhost', ciphers: false, deadline: Date.now() + 15_000, ...extra });
}

export function proto(r: ProbeEngineReport, p: ProtocolName): ProtocolReport {
  const found = r.protocols.find((x) => x.protocol === p);
  if (!found) throw new Error(`no ${p} entry`);
  return found;
}

export function accepted(r: ProbeEngineReport): ProtocolName[] {
  return r.protocols.filter((p) => p.accepted).map((p) => p.protocol);
}
