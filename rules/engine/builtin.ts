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
import windowsSchannelDotnet from '../catalog/windows-schannel-dotnet.json' with { type: 'json' };
import browsersChromiumNss from '../catalog/browsers-chromium-nss.json' with { type: 'json' };
import gnutls from '../catalog/gnutls.json' with { type: 'json' };
import boringsslEnvoyGrpc from '../catalog/boringssl-envoy-grpc.json' with { type: 'json' };
import rustls from '../catalog/rustls.json' with { type: 'json' };
import mbedtls from '../catalog/mbedtls.json' with { type: 'json' };
import databases from '../catalog/databases.json' with { type: 'json' };
import directoryAndBrokers from '../catalog/directory-and-brokers.json' with { type: 'json' };
import jvm from '../catalog/jvm.json' with { type: 'json' };
import go from '../catalog/go.json' with { type: 'json' };
import scriptingRuntimes from '../catalog/scripting-runtimes.json' with { type: 'json' };
import proxiesAndServers from '../catalog/proxies-and-servers.json' with { type: 'json' };
import opensslCodes from '../catalog/openssl-codes.json' with { type: 'json' };
import libcurl from '../catalog/libcurl.json' with { type: 'json' };
import genericTlsFailures from '../catalog/generic-tls-failures.json' with { type: 'json' };
import stackVocabulary from '../catalog/stack-vocabulary.json' with { type: 'json' };
import toolkitsAndEngines from '../catalog/toolkits-and-engines.json' with { type: 'json' };
import enterpriseSuites from '../catalog/enterprise-suites.json' with { type: 'json' };
import localizedMessages from '../catalog/localized-messages.json' with { type: 'json' };
import appleSecureTransport from '../catalog/apple-secure-transport.json' with { type: 'json' };
import nextStepsByStack from '../catalog/next-steps-by-stack.json' with { type: 'json' };
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
  { name: 'builtin:windows-schannel-dotnet.json', json: windowsSchannelDotnet },
  { name: 'builtin:browsers-chromium-nss.json', json: browsersChromiumNss },
  { name: 'builtin:gnutls.json', json: gnutls },
  { name: 'builtin:boringssl-envoy-grpc.json', json: boringsslEnvoyGrpc },
  { name: 'builtin:rustls.json', json: rustls },
  { name: 'builtin:mbedtls.json', json: mbedtls },
  { name: 'builtin:databases.json', json: databases },
  { name: 'builtin:directory-and-brokers.json', json: directoryAndBrokers },
  { name: 'builtin:jvm.json', json: jvm },
  { name: 'builtin:go.json', json: go },
  { name: 'builtin:scripting-runtimes.json', json: scriptingRuntimes },
  { name: 'builtin:proxies-and-servers.json', json: proxiesAndServers },
  { name: 'builtin:openssl-codes.json', json: opensslCodes },
  { name: 'builtin:libcurl.json', json: libcurl },
  { name: 'builtin:apple-secure-transport.json', json: appleSecureTransport },
  { name: 'builtin:toolkits-and-engines.json', json: toolkitsAndEngines },
  { name: 'builtin:enterprise-suites.json', json: enterpriseSuites },
  { name: 'builtin:localized-messages.json', json: localizedMessages },
  { name: 'builtin:generic-tls-failures.json', json: genericTlsFailures },
  { name: 'builtin:stack-vocabulary.json', json: stackVocabulary },
  { name: 'builtin:next-steps-by-stack.json', json: nextStepsByStack },
  { name: 'builtin:probe.json', json: probe },
  { name: 'builtin:certificate-file.json', json: certificateFile },
  { name: 'builtin:capture.json', json: capture },
  { name: 'builtin:domain-export.json', json: domainExport },
];
