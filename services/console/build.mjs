// Bundles the console into dist/: index.html, main.js (Preact + CodeMirror, minified) and main.css.
// Everything the page needs is in those files: no CDN, nothing fetched at run time but the admin API.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
await build({
  entryPoints: { main: join(here, 'src', 'main.tsx') },
  bundle: true,
  minify: true,
  sourcemap: false,
  format: 'esm',
  target: 'es2022',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outdir: dist,
  logLevel: 'warning',
});
copyFileSync(join(here, 'src', 'index.html'), join(dist, 'index.html'));
// The package's main: where its files are, for whoever loads the package (the built image checks
// that every workspace loads; the ingress itself finds dist through package.json, built or not).
writeFileSync(join(dist, 'index.js'), "'use strict';\nmodule.exports = { consoleDir: __dirname };\n");
