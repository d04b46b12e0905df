// After tsc: bundles the `tls-triage probe` path (dist/adapters/cli/probe-cli.js and everything it
// imports, npm packages included) into one ES module, dist/probe-cli.bundle.mjs. Resolving and
// evaluating some seventy separate modules is a large part of a probe process's start-up;
// bin.ts loads the bundle when it is there and the separate modules otherwise. esbuild comes with
// the dev tooling (tsx); without it the step is skipped, not failed.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
await esbuild.build({
  plugins: [keepOut],
  minifyWhitespace: true,
  entryPoints: [join(root, 'dist', 'adapters', 'cli', 'probe-cli.js')],
  outfile: join(root, 'dist', 'probe-cli.bundle.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  // CommonJS packages in the bundle (pino, json-rules-engine) call require() for Node built-ins.
  banner: { js: "import { createRequire as __tlsTriageRequire } from 'node:module'; const require = __tlsTriageRequire(import.meta.url);" },
});
