// Bundles the dashboard and GraphiQL into ../dist, which the Go package
// web embeds. Run by `go generate ./web` after `npm ci`; the output is
// committed and must not change when rebuilt from the lockfile.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';

const out = new URL('../dist/', import.meta.url).pathname;
rmSync(out, { recursive: true, force: true });
mkdirSync(`${out}assets`, { recursive: true });
cpSync('index.html', `${out}index.html`);
cpSync('graphiql.html', `${out}graphiql.html`);

await esbuild.build({
  entryPoints: { app: 'src/app.js', graphiql: 'src/graphiql.jsx' },
  outdir: `${out}assets`,
  bundle: true,
  format: 'esm',
  minify: true,
  target: ['chrome100', 'firefox100', 'safari15'],
  loader: { '.graphql': 'text', '.woff2': 'dataurl', '.woff': 'dataurl', '.ttf': 'dataurl', '.svg': 'dataurl' },
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  legalComments: 'eof',
  charset: 'utf8',
  logLevel: 'warning',
});
