// The one entry point for "what certificates does this input hold": reading, describing and
// checking them, with anything unreadable turned into a sentence instead of an exception (a damaged
// paste must not cost the rest of the message).
import type { CertificateObservation } from '../../rules/index.js';
import { observeCertificates, type ObserveOptions } from './observe.js';
import { readDerCertificates, readPemCertificates, type ReadCertificates } from './read.js';
import { hasPemCertificate } from './sniff.js';

export interface Inspection {
  /** Undefined when no certificate could be read. */
  readonly observation?: CertificateObservation;
  readonly problems: readonly string[];
}

/** Undefined when the text holds no certificate or PKCS#7 block (the common case: a log). */
export function inspectText(text: string, options: ObserveOptions): Inspection | undefined {
  if (!hasPemCertificate(text)) return undefined;
  return inspect(() => readPemCertificates(text), options);
}

/** Undefined when the bytes are not a DER certificate or PKCS#7 bundle. */
export function inspectDer(bytes: Uint8Array, options: ObserveOptions): Inspection | undefined {
  return inspect(() => readDerCertificates(bytes), options);
}

function inspect(read: () => ReadCertificates | undefined, options: ObserveOptions): Inspection | undefined {
  let found: ReadCertificates | undefined;
  try {
    found = read();
    if (!found) return undefined;
    const observation = observeCertificates(found, options);
    return observation ? { observation, problems: found.problems } : { problems: found.problems.length > 0 ? found.problems : ['no readable certificate'] };
  } catch (error) {
    return { problems: [...(found?.problems ?? []), `the certificates could not be checked: ${(error as Error).message}`] };
  }
}
