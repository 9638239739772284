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
/** The device check and the studio seat of a journalist invited on stage: a chunk loaded only then. */
const STAGE_MODULE = join(SOURCE, 'studio-guest.ts');
/** The budget for what index.html names: the page, its style sheet and scripts, hls.js included. */
const INITIAL_BUDGET = 150 * 1024;
/** The budget for everything, hls.js's worker and the stage's chunk included. */
const TOTAL_BUDGET = 250 * 1024;

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
      '@pressroom/studio-client': join(ROOT, 'libs/studio-client/src/index.ts'),
      'hls.js': HLS_LIGHT,
    },
    logLevel: 'warning',
  });
  const parts = partsOf(metafile);
  const icon = copyHashed(join(SOURCE, 'icon.svg'));
  const assets = { ...namedOutputs(metafile, parts), 'icon.svg': icon };
  writeFileSync(join(OUT, 'index.html'), fillIn(readFileSync(join(SOURCE, 'index.html'), 'utf8'), assets));
  report(parts, hlsWorker);
  precompressDir(OUT);
}

/**
 * What index.html names: the entry's script and style sheet, and as modulepreloads the chunks the page
 * needs at once (the shared ones main imports, and hls.js, fetched alongside instead of after main has
 * run). hls.js, the largest, is fetched at low priority: the page's own script, style sheet and API calls
 * go first, so the page shows sooner on a slow connection, and the player has it by the time the join is
 * done. The stage's chunk (the device check, the studio client and mediasoup-client) is never preloaded:
 * only a journalist invited on stage fetches it.
 */
function namedOutputs(metafile: Metafile, parts: Parts): Record<string, string> {
  const named: Record<string, string> = {};
  const preloads: string[] = [];
  for (const [path, output] of Object.entries(metafile.outputs)) {
    const url = `${PUBLIC_ASSETS}/${basename(path)}`;
    if (output.entryPoint?.endsWith('main.ts')) {
      named['main.js'] = url;
      if (output.cssBundle) named['main.css'] = `${PUBLIC_ASSETS}/${basename(output.cssBundle)}`;
    } else if (path.endsWith('.js') && !parts.stage.has(path)) {
      const priority = parts.player.has(path) ? ' fetchpriority="low"' : '';
      preloads.push(`<link rel="modulepreload" href="${url}"${priority} />`);
    }
  }
  named['modulepreloads'] = preloads.sort().join('\n    ');
  return named;
}

/** The build's outputs by when a browser fetches them (paths as in the metafile). */
interface Parts {
  /** The page itself: the entry, its style sheet and the chunks it imports statically. */
  page: Set<string>;
  /** hls.js (imported when the player starts, which is at once). */
  player: Set<string>;
  /** Only on an invitation on stage: the device check, the studio client, mediasoup-client. */
  stage: Set<string>;
}

function partsOf(metafile: Metafile): Parts {
  const outputs = metafile.outputs;
  const entry = Object.keys(outputs).find((path) => outputs[path]!.entryPoint?.endsWith('main.ts'))!;
  /** `from` and everything it imports statically. */
  const closure = (from: string, into = new Set<string>()): Set<string> => {
    if (into.has(from)) return into;
    into.add(from);
    const cssBundle = outputs[from]!.cssBundle;
    if (cssBundle) into.add(cssBundle);
    for (const imported of outputs[from]!.imports) {
      if (imported.kind === 'import-statement' && !imported.external) closure(imported.path, into);
    }
    return into;
  };
  const page = closure(entry);
  const lazy = (module: string) => {
    const chunk = Object.keys(outputs).find((path) => outputs[path]!.entryPoint === module);
    if (!chunk) throw new Error(`The build has no chunk for ${module}`);
    return new Set([...closure(chunk)].filter((path) => !page.has(path)));
  };
  const player = lazy(relative(process.cwd(), HLS_LIGHT).split('\\').join('/'));
  const stage = lazy(relative(process.cwd(), STAGE_MODULE).split('\\').join('/'));
  for (const path of stage) if (player.has(path)) throw new Error(`${path} is both the player's and the stage's`);
  return { page, player, stage };
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

/**
 * Prints every file's size, raw and gzipped, with when a browser fetches it, and the totals. "initial" is
 * what index.html names: the page, its style sheet, its icon, its script and the modulepreloaded chunks
 * (hls.js among them); "worker" is hls.js's Web Worker, which hls.js fetches once the player runs;
 * "stage" is fetched only by a journalist invited on stage. The build fails when the initial page is over
 * its budget, when everything together is over its own, or when the stage's code leaks into the page.
 */
function report(parts: Parts, hlsWorker: string): void {
  const files = [
    join(OUT, 'index.html'),
    ...readdirSync(ASSETS)
      .sort()
      .map((name) => join(ASSETS, name)),
  ];
  const whenOf = (file: string): 'initial' | 'worker' | 'stage' => {
    if (parts.stage.has(relative(ROOT, file).split('\\').join('/'))) return 'stage';
    return basename(file) === basename(hlsWorker) ? 'worker' : 'initial';
  };
  const totals = { initial: 0, worker: 0, stage: 0 };
  const rows = files.map((file) => {
    const gzipped = gzipSync(readFileSync(file), { level: 9 }).length;
    const when = whenOf(file);
    totals[when] += gzipped;
    return `  ${relative(ROOT, file).padEnd(48)} ${when.padEnd(8)} ${kb(statSync(file).size).padStart(10)} ${kb(gzipped).padStart(10)}`;
  });
  console.log(`  ${'file'.padEnd(48)} ${'fetched'.padEnd(8)} ${'raw'.padStart(10)} ${'gzipped'.padStart(10)}`);
  console.log(rows.join('\n'));
  const all = totals.initial + totals.worker + totals.stage;
  const verdict = (size: number, budget: number) =>
    `${kb(size)} (${size <= budget ? 'within' : 'OVER'} the ${kb(budget)} budget)`;
  console.log(`  initial event page, as index.html names it: ${verdict(totals.initial, INITIAL_BUDGET)}`);
  console.log(`  hls.js's worker, once the player runs:      ${kb(totals.worker)}`);
  console.log(`  stage, on an invitation only (WebRTC):     ${kb(totals.stage)}`);
  console.log(`  everything:                                 ${verdict(all, TOTAL_BUDGET)}`);
  const html = readFileSync(join(OUT, 'index.html'), 'utf8');
  const leaked = [...parts.stage].filter((path) => html.includes(basename(path)));
  if (leaked.length) console.error(`  index.html names the stage's code: ${leaked.join(', ')}`);
  if (totals.initial > INITIAL_BUDGET || all > TOTAL_BUDGET || leaked.length || totals.stage === 0)
    process.exitCode = 1;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
