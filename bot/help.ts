import type { Reply } from './types.js';

export function helpReply(): Reply {
  return {
    kind: 'help',
    title: 'tls-triage: paste TLS error lines, get the root cause and who should act',
    lines: [
      'Paste log lines (DataPower, OpenSSL, nginx, Apache, Java, Node, curl, Python, Go) or upload a log file: the reply names the root cause, the evidence lines, the team to act and the next commands.',
      "DataPower's 'SSL peer did not send a certificate during the handshake' is flagged as the red herring it almost always is.",
      'Paste or upload certificates (PEM chain, DER, .p7b): each is checked like openssl verify (expiry, chain order and missing intermediates, trust, key, usages); say "client cert" when it is one.',
      'probe host:port: connect to an endpoint and check its protocols, certificate chain and client-certificate request. probe smtp://host:25 (imap://, pop3://, ftp://, ldap://, postgres://, mysql://) upgrades to TLS first.',
      'probe host:port as java-8: would that client connect (its real ClientHello is sent)? tls-triage probe --list-clients names the clients.',
      "listen: open a listener for this incident and point the failing client at it: what it offers, the certificate it presents and how its handshakes end are added here.",
      'diagnose <text>: diagnose the text that follows.',
      "In a thread, everything pasted, uploaded or probed joins one incident: the diagnosis is recomputed on all of it, and a follow-up says when it changes.",
      'details: the whole diagnosis (the first reply shows the cause, who acts, three evidence lines and three next steps).',
      "feedback right, or feedback wrong <what it was>: tell the rule authors whether the cause was right (the reply's Right cause / Wrong cause buttons do the same).",
      'status: the incident\'s diagnosis, its evidence, the feedback given and what is still missing from the evidence checklist (IBM\'s MustGather for DataPower). summary: a hand-over / ticket text with the timeline.',
      'resolve: close the incident (new evidence reopens it). forget: delete everything stored for it.',
      'Never paste private keys: they are cut out and not stored, but the message must be deleted and the key rotated.',
      'help: this message.',
      'Every diagnosis ends with a line "cause: <id>" you can search for or link a runbook to.',
    ],
  };
}
