import { z } from 'zod';

// The `listen` section of the configuration: the chat's listener is off unless `ports` names a
// range of ports it may open (one per running listener) and `advertise` the host name people
// should point their client at (the bot's address as the clients see it).

import { MAX_LISTEN_SECONDS } from './limits.js';

export { MAX_LISTEN_SECONDS };

const PORT_RANGE = /^(\d{1,5})(?:-(\d{1,5}))?$/;
const MAX_RANGE = 100;

/** "45000-45010" -> [45000, ..., 45010]; a single "45000" is a range of one. */
export function portRange(text: string): number[] {
  const m = PORT_RANGE.exec(text.trim());
  if (!m) return [];
  const first = Number(m[1]);
  const last = Number(m[2] ?? m[1]);
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

const versionList = /^\s*(tls1(\.[0-3])?|tlsv1(\.[0-3])?)(\s*,\s*(tls1(\.[0-3])?|tlsv1(\.[0-3])?))*\s*$/i;

export const listenSchema = z
  .object({
    ports: z
      .string()
      .regex(PORT_RANGE, 'a port or a range like "45000-45010"')
      .refine((text) => {
        const ports = portRange(text);
        return ports.length > 0 && ports.length <= MAX_RANGE && ports.every((p) => p >= 1024 && p <= 65535);
      }, `ports from 1024 to 65535, first <= last, at most ${MAX_RANGE} of them`)
      .optional(),
    /** The name (or address) clients reach the bot's host by. */
    advertise: z.string().min(1).max(253).optional(),
    /** The address to bind; every interface when absent. */
    host: z.string().min(1).optional(),
    seconds: z.number().int().min(5).max(MAX_LISTEN_SECONDS).default(120),
    maxConnections: z.number().int().min(1).max(1000).default(50),
    requestCert: z.boolean().default(true),
    versions: z.string().regex(versionList, 'a list like "tls1.2,tls1.3"').default('tls1.2,tls1.3'),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.ports && !value.advertise) ctx.addIssue({ code: 'custom', path: ['advertise'], message: 'set the host name clients should connect to when listen.ports is set' });
  })
  .default({ seconds: 120, maxConnections: 50, requestCert: true, versions: 'tls1.2,tls1.3' });

export type ListenConfig = z.output<typeof listenSchema>;
