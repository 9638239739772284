/**
 * Production build of the audience page (`npm run build:viewer`): minified ES modules with content-hashed
 * names in dist/viewer/assets, and dist/viewer/index.html pointing at them. hls.js (its light build: no
 * subtitles, alternate audio or DRM, which the broadcast does not use) is a chunk of its own, loaded only
 * where the browser plays HLS through Media Source Extensions. Every page, script and style sheet gets a
 * `.br` and a `.gz` beside it (scripts/precompress.ts) for the server to send. Prints every file's size,
 * raw and gzipped.
 */
import { build, type Metafile } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { precompressDir } from '../../scripts/precompress';

const ROOT = resolve(__dirname, '..', '..');
const SOURCE = join(__dirname, 'src');
const OUT = join(ROOT, 'dist', 'viewer');
const ASSETS = join(OUT, 'assets');
const PUBLIC_ASSETS = '/assets';
const HLS_LIGHT = join(ROOT, 'node_modules', 'hls.js', 'dist', 'hls.light.mjs');
/** hls.js's Web Worker: demuxing and remuxing off the page's thread (the ES module build has no inline one). */
const HLS_WORKER = join(ROOT, 'node_modules', 'hls.js', 'dist', 'hls.worker.js');
/** The budget for everything a viewer downloads, hls.js included. */
const GZIP_BUDGET = 250 * 1024;

async function main(): Promise<void> {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(ASSETS, { recursive: true });
  const hlsWorker = copyHashed(HLS_WORKER);
  const { metafile } = await build({
    entryPoints: [join(SOURCE, 'main.ts')],
    outdir: ASSETS,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome100', 'firefox100', 'safari15'],
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    entryNames: '[name]-[hash]',
    chunkNames: '[name]-[hash]',
    metafile: true,
    tsconfig: join(__dirname, 'tsconfig.json'),
    define: { HLS_WORKER_PATH: JSON.stringify(hlsWorker) },
    // Types come from hls.js's main entry; the code from its light build.
    alias: {
      '@pressroom/protocol': join(ROOT, 'libs/protocol/src/index.ts'),
      '@pressroom/live-client': join(ROOT, 'libs/live-client/src/index.ts'),
      'hls.js': HLS_LIGHT,
    },
    logLevel: 'warning',
  });
  const assets = { ...namedOutputs(metafile), 'icon.svg': copyHashed(join(SOURCE, 'icon.svg')) };
  writeFileSync(join(OUT, 'index.html'), fillIn(readFileSync(join(SOURCE, 'index.html'), 'utf8'), assets));
  report();
  precompressDir(OUT);
}

/**
 * What index.html names: the entry's script and style sheet, and every other chunk as a modulepreload (the
 * shared one main imports, and hls.js, fetched alongside instead of after main has run). hls.js, the
 * largest, is fetched at low priority: the page's own script, style sheet and API calls go first, so the
 * page shows sooner on a slow connection, and the player has it by the time the join is done.
 */
function namedOutputs(metafile: Metafile): Record<string, string> {
  const named: Record<string, string> = {};
  const preloads: string[] = [];
  for (const [path, output] of Object.entries(metafile.outputs)) {
    const url = `${PUBLIC_ASSETS}/${basename(path)}`;
    if (output.entryPoint?.endsWith('main.ts')) {
      named['main.js'] = url;
      if (output.cssBundle) named['main.css'] = `${PUBLIC_ASSETS}/${basename(output.cssBundle)}`;
    } else if (path.endsWith('.js')) {
      const priority = basename(path).startsWith('hls.') ? ' fetchpriority="low"' : '';
      preloads.push(`<link rel="modulepreload" href="${url}"${priority} />`);
    }
  }
  named['modulepreloads'] = preloads.sort().join('\n    ');
  return named;
}

/** Copies a file into the assets with a content hash in its name, as esbuild names its own. */
function copyHashed(file: string): string {
  const content = readFileSync(file);
  const hash = createHash('sha256').update(content).digest('hex').slice(0, 8).toUpperCase();
  const name = basename(file).replace(/(\.[^.]+)$/, `-${hash}$1`);
  writeFileSync(join(ASSETS, name), content);
  return `${PUBLIC_ASSETS}/${name}`;
}

function fillIn(html: string, assets: Record<string, string>): string {
  return html.replace(/\{\{([\w.-]+)\}\}/g, (placeholder, name: string) => {
    const url = assets[name];
    if (!url) throw new Error(`index.html names ${placeholder}, which the build did not produce`);
    return url;
  });
}

function report(): void {
  const files = [
    join(OUT, 'index.html'),
    ...readdirSync(ASSETS)
      .sort()
      .map((name) => join(ASSETS, name)),
  ];
  let total = 0;
  const rows = files.map((file) => {
    const content = readFileSync(file);
    const gzipped = gzipSync(content, { level: 9 }).length;
    total += gzipped;
    return `  ${relative(ROOT, file).padEnd(48)} ${kb(statSync(file).size).padStart(10)} ${kb(gzipped).padStart(10)}`;
  });
  console.log(`  ${'file'.padEnd(48)} ${'raw'.padStart(10)} ${'gzipped'.padStart(10)}`);
  console.log(rows.join('\n'));
  const verdict = total <= GZIP_BUDGET ? 'within' : 'OVER';
  console.log(`  total gzipped: ${kb(total)} (${verdict} the ${kb(GZIP_BUDGET)} budget)`);
  if (total > GZIP_BUDGET) process.exitCode = 1;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
