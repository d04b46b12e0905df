import capture from '../catalog/capture.json' with { type: 'json' };
import certificateFile from '../catalog/certificate-file.json' with { type: 'json' };
import cipher from '../catalog/cipher.json' with { type: 'json' };
import clientCertificate from '../catalog/client-certificate.json' with { type: 'json' };
import connection from '../catalog/connection.json' with { type: 'json' };
import domainExport from '../catalog/domain-export.json' with { type: 'json' };
import probe from '../catalog/probe.json' with { type: 'json' };
import plainHttp from '../catalog/plain-http.json' with { type: 'json' };
import protocolVersion from '../catalog/protocol-version.json' with { type: 'json' };
import redHerring from '../catalog/red-herring.json' with { type: 'json' };
import serverCertificate from '../catalog/server-certificate.json' with { type: 'json' };
import vantageHints from '../catalog/vantage-hints.json' with { type: 'json' };
import type { RuleFileInput } from './load.js';

// An explicit registry rather than a directory scan: the built-in catalog is part of the build, and
// a stray file in rules/catalog/ cannot change a diagnosis without a reviewed change here.
export const BUILTIN_RULE_FILES: readonly RuleFileInput[] = [
  { name: 'builtin:red-herring.json', json: redHerring },
  { name: 'builtin:vantage-hints.json', json: vantageHints },
  { name: 'builtin:plain-http.json', json: plainHttp },
  { name: 'builtin:protocol-version.json', json: protocolVersion },
  { name: 'builtin:cipher.json', json: cipher },
  { name: 'builtin:client-certificate.json', json: clientCertificate },
  { name: 'builtin:server-certificate.json', json: serverCertificate },
  { name: 'builtin:connection.json', json: connection },
  { name: 'builtin:probe.json', json: probe },
  { name: 'builtin:certificate-file.json', json: certificateFile },
  { name: 'builtin:capture.json', json: capture },
  { name: 'builtin:domain-export.json', json: domainExport },
];
