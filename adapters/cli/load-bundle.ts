import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';

// Loads a CommonJS bundle with the V8 code cache the build wrote beside it (scripts/bundle-probe.mjs).
// Compiling the probe's 0.8 MB bundle is a fifth of a probe process's start-up; with the cache V8
// deserialises code instead. A cache from another Node or V8 build is rejected by V8 and the bundle is
// compiled as usual: the cache can only make start-up faster, never wrong.

export interface LoadedBundle {
  readonly exports: unknown;
  /** Whether V8 took the code cache: 'rejected' after a Node upgrade without a rebuild. */
  readonly cache: 'used' | 'rejected' | 'none';
}

/** The bundle's exports, or undefined when there is no bundle: import the modules then. */
export function loadCommonJsBundle(file: string): LoadedBundle | undefined {
  if (!existsSync(file)) return undefined;
  const cacheFile = `${file}.v8cache`;
  const cachedData = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
  const script = new vm.Script(wrapCommonJs(readFileSync(file, 'utf8')), {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} as unknown };
  // The bundle's import() calls (the rule loader, only for an operator's rule files) were renamed to
  // this function by the build: Node 20 gives a script compiled from a code cache no import().
  const importBesideBundle = (specifier: string): Promise<unknown> => import(pathToFileURL(resolve(dirname(file), specifier)).href);
  (script.runInThisContext() as CommonJsWrapper)(module.exports, createRequire(file), module, file, dirname(file), importBesideBundle);
  return { exports: module.exports, cache: cachedData === undefined ? 'none' : script.cachedDataRejected === true ? 'rejected' : 'used' };
}

type CommonJsWrapper = (exports: unknown, require: NodeJS.Require, module: { exports: unknown }, filename: string, dirname: string, importBesideBundle: (specifier: string) => Promise<unknown>) => void;

/** The name the build gives the bundle's import() calls (scripts/bundle-probe.mjs). */
export const BUNDLE_IMPORT = '__importBesideBundle';

/** Node's CommonJS wrapper plus the import function; the build compiles the same text for its cache. */
export function wrapCommonJs(source: string): string {
  return `(function (exports, require, module, __filename, __dirname, ${BUNDLE_IMPORT}) {${source}\n})`;
}
