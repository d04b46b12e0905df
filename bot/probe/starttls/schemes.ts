// The protocols that speak first in clear and then upgrade to TLS, their default ports, and the
// URL schemes a probe target may carry: a STARTTLS protocol, or TLS from the first byte on another
// default port (smtps://, imaps://, ...). Data only, so target parsing loads no socket code.

export type StartTlsProtocol = 'smtp' | 'imap' | 'pop3' | 'ftp' | 'ldap' | 'postgres' | 'mysql';

export const STARTTLS_LABELS: Readonly<Record<StartTlsProtocol, string>> = {
  smtp: 'SMTP',
  imap: 'IMAP',
  pop3: 'POP3',
  ftp: 'FTP',
  ldap: 'LDAP',
  postgres: 'PostgreSQL',
  mysql: 'MySQL',
};

export const STARTTLS_PROTOCOLS = Object.keys(STARTTLS_LABELS) as StartTlsProtocol[];

export function isStartTlsProtocol(name: string): name is StartTlsProtocol {
  return Object.hasOwn(STARTTLS_LABELS, name);
}

/** URL schemes a target may carry, with their default ports. */
export const SCHEMES: Readonly<Record<string, { port: number; starttls?: StartTlsProtocol }>> = {
  https: { port: 443 },
  tls: { port: 443 },
  smtps: { port: 465 },
  imaps: { port: 993 },
  pop3s: { port: 995 },
  ldaps: { port: 636 },
  ftps: { port: 990 },
  smtp: { port: 25, starttls: 'smtp' },
  submission: { port: 587, starttls: 'smtp' },
  imap: { port: 143, starttls: 'imap' },
  pop3: { port: 110, starttls: 'pop3' },
  ftp: { port: 21, starttls: 'ftp' },
  ldap: { port: 389, starttls: 'ldap' },
  postgres: { port: 5432, starttls: 'postgres' },
  postgresql: { port: 5432, starttls: 'postgres' },
  mysql: { port: 3306, starttls: 'mysql' },
};

/** The scheme that names a protocol's STARTTLS, for suggestions ("probe smtp://host:25"). */
export const SCHEME_OF: Readonly<Record<StartTlsProtocol, string>> = { smtp: 'smtp', imap: 'imap', pop3: 'pop3', ftp: 'ftp', ldap: 'ldap', postgres: 'postgres', mysql: 'mysql' };

/** Default port of a STARTTLS protocol (for --starttls without a port). */
export const STARTTLS_DEFAULT_PORT: Readonly<Record<StartTlsProtocol, number>> = { smtp: 25, imap: 143, pop3: 110, ftp: 21, ldap: 389, postgres: 5432, mysql: 3306 };
