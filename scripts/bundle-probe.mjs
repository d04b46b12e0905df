// After tsc: bundles the `tls-triage probe` path (dist/adapters/cli/probe-cli.js and everything it
// imports, npm packages included) into one CommonJS file, dist/probe-cli.bundle.cjs, and writes V8's
// code cache for it (dist/probe-cli.bundle.cjs.v8cache). Resolving and evaluating some seventy
// separate modules, then compiling the bundle, are most of a probe process's start-up; bin.ts loads
// the bundle with its cache (adapters/cli/load-bundle.ts) when they are there and the separate
// modules otherwise. CommonJS because Node 20 has a code cache only for scripts, not ES modules.
// esbuild comes with the dev tooling (tsx); without it the step is skipped, not failed.
import { rmSync, writeFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  process.stderr.write('bundle-probe: esbuild not installed, the probe runs from the separate modules\n');
  process.exit(0);
}
// Two kinds of code stay out of the bundle, so the bundle is smaller to read and compile:
// - the rule loader and json-rules-engine, which the probe imports only for an operator's extra rule
//   files: they stay separate modules in dist/, imported from there when needed;
// - zod's translated error messages: a probe validates its configuration in English only, so its
//   locale index is replaced by the English one (if zod moves it, this simply matches nothing).
const keepOut = {
  name: 'keep-out',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/engine\/(load|rule-engine)\.js$/ }, (args) =>
      args.importer.includes(join('dist', 'rules', 'probe')) ? { path: `./rules/engine/${args.path.slice('../engine/'.length)}`, external: true } : undefined,
    );
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(join('node_modules', 'zod')) ? { path: 'zod-locales-en', namespace: 'keep-out' } : undefined,
    );
    build.onLoad({ filter: /^zod-locales-en$/, namespace: 'keep-out' }, () => ({
      contents: "export { default as en } from './en.js';",
      resolveDir: join(root, 'node_modules', 'zod', 'v4', 'locales'),
    }));
  },
};
const outfile = join(root, 'dist', 'probe-cli.bundle.cjs');
// The ES module bundle of earlier builds is no longer read.
rmSync(join(root, 'dist', 'probe-cli.bundle.mjs'), { force: true });
await esbuild.build({
  plugins: [keepOut],
  minifyWhitespace: true,
  entryPoints: [join(root, 'dist', 'adapters', 'cli', 'probe-cli.js')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
});

// import() in a script compiled from a code cache has no loader in Node 20 ("A dynamic import
// callback was not specified"): the bundle's import() calls, all relative paths to modules left
// out of it, call the function load-bundle.ts passes in instead. Any other import() fails the build.
const { wrapCommonJs, BUNDLE_IMPORT } = await import(join(root, 'dist', 'adapters', 'cli', 'load-bundle.js'));
const bundled = readFileSync(outfile, 'utf8');
const imports = bundled.match(/\bimport\(/g) ?? [];
const relative = bundled.match(/\bimport\("\.\/rules\/engine\/[a-z-]+\.js"\)/g) ?? [];
if (imports.length !== relative.length) throw new Error(`bundle-probe: ${imports.length - relative.length} import() call(s) besides the rule loader's; bundle them or handle them here`);
writeFileSync(outfile, bundled.replace(/\bimport\("(\.\/rules\/engine\/[a-z-]+\.js)"\)/g, `${BUNDLE_IMPORT}("$1")`));

// The code cache: the bundle compiled and its top level run (as a probe process does before it
// probes), so the functions that start-up compiles are in the cache too. The wrapper is the one
// load-bundle.ts compiles; a different text would make V8 reject the cache.
const script = new vm.Script(wrapCommonJs(readFileSync(outfile, 'utf8')), { filename: outfile });
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(outfile), module, outfile, dirname(outfile), () => Promise.reject(new Error('no import while the cache is made')));
writeFileSync(`${outfile}.v8cache`, script.createCachedData());
