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
await esbuild.build({
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
