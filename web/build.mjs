// Build the map page into src/frontwatch/web/static/ (served by `frontwatch serve` at /).
// Everything comes from npm packages in node_modules: no CDN, no tile server.
import { mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { feature } from 'topojson-client';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'src', 'frontwatch', 'web', 'static');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

await esbuild.build({
  entryPoints: [join(here, 'src', 'main.js')],
  bundle: true,
  format: 'esm',
  minify: true,
  sourcemap: true,
  target: ['chrome100', 'firefox100', 'safari15'],
  outfile: join(out, 'app.js'),
  loader: { '.png': 'file', '.svg': 'file' },
  assetNames: '[name]-[hash]',
  legalComments: 'linked',
  logLevel: 'warning',
});
copyFileSync(join(here, 'src', 'index.html'), join(out, 'index.html'));

// Basemap: Natural Earth country borders (world-atlas TopoJSON) converted once to GeoJSON,
// coordinates rounded to ~100 m to keep the file small.
const topology = JSON.parse(readFileSync(join(here, 'node_modules', 'world-atlas', 'countries-50m.json'), 'utf8'));
const countries = feature(topology, topology.objects.countries);
const round = (c) => (typeof c[0] === 'number' ? [Math.round(c[0] * 1e3) / 1e3, Math.round(c[1] * 1e3) / 1e3] : c.map(round));
for (const f of countries.features) f.geometry.coordinates = round(f.geometry.coordinates);
writeFileSync(join(out, 'countries.geojson'), JSON.stringify(countries));
console.log(`map page built in ${out}`);
