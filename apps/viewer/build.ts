/**
 * Production build of the audience page (`npm run build:viewer`): minified ES modules with content-hashed
 * names in dist/viewer/assets, and dist/viewer/index.html pointing at them. hls.js (its light build: no
 * subtitles, alternate audio or DRM, which the broadcast does not use) is copied as hls.js publishes it,
 * already minified (esbuild minifying it again makes it 1.6 KB larger gzipped), and loaded only where the
 * browser plays HLS through Media Source Extensions (player.ts imports it by its address, `HLS_PATH`). Every page, script and style sheet gets a
 * `.br` and a `.gz` beside it (scripts/precompress.ts) for the server to send. Prints every file's size,
 * raw and gzipped. `npm run build:viewer -- --metafile <file>` also writes esbuild's metafile there (what
 * each chunk holds, module by module: https://esbuild.github.io/analyze/ reads it).
 */
import MessageFormat from '@messageformat/core';
import compileModule from '@messageformat/core/lib/compile-module';
import { UI_LANGUAGES, type UiLanguage } from '@pressroom/protocol';
import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { precompressDir } from '../../scripts/precompress';
import { applyStaticTexts, type MarkedRoot } from './src/static-texts';

/** jsdom, as much of it as the build uses (its own types are not installed). */
interface ParsedPage {
  window: {
    document: MarkedRoot & {
      documentElement: { lang: string };
      head: ParsedHead;
      createElement(tag: 'link'): ParsedLink;
    };
  };
  serialize(): string;
}
interface ParsedLink {
  rel: string;
  href: string;
}
interface ParsedHead {
  querySelector(selector: string): { before(node: ParsedLink): void } | null;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { JSDOM } = require('jsdom') as { JSDOM: new (html: string) => ParsedPage };

const ROOT = resolve(__dirname, '..', '..');
const SOURCE = join(__dirname, 'src');
const OUT = join(ROOT, 'dist', 'viewer');
const ASSETS = join(OUT, 'assets');
const PUBLIC_ASSETS = '/assets';
const HLS_LIGHT = join(ROOT, 'node_modules', 'hls.js', 'dist', 'hls.light.min.mjs');
/** hls.js's Web Worker: demuxing and remuxing off the page's thread (the ES module build has no inline one). */
const HLS_WORKER = join(ROOT, 'node_modules', 'hls.js', 'dist', 'hls.worker.js');
/** The device check and the studio seat of a journalist invited on stage: a chunk loaded only then. */
const STAGE_MODULE = join(SOURCE, 'studio-guest.ts');
/** The budget for what index.html names: the page, its style sheet and scripts, hls.js included. */
const INITIAL_BUDGET = 150 * 1024;
/** The budget for everything, hls.js's worker and the stage's chunk included (with one language's catalog). */
const TOTAL_BUDGET = 250 * 1024;
/** One catalog file per language; the event page's messages are its "page" section. */
const CATALOGS = join(ROOT, 'libs', 'i18n', 'catalogs');
const CATALOG_MODULE = /^virtual:catalog(-later)?\/([a-z]{2})$/;

async function main(): Promise<void> {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(ASSETS, { recursive: true });
  const hls: HlsFiles = { hls: copyHashed(HLS_LIGHT, 'hls.light.min.js'), worker: copyHashed(HLS_WORKER) };
  const later = await laterMessages(hls);
  const { metafile } = await build({
    ...bundleOptions(hls),
    plugins: [compiledCatalogs(later), withoutWebTransport(), hlsAsPublished()],
  });

  const metafileOut = process.argv.indexOf('--metafile');
  if (metafileOut !== -1) writeFileSync(resolve(process.argv[metafileOut + 1]!), JSON.stringify(metafile));
  const parts = partsOf(metafile);
  const icon = copyHashed(join(SOURCE, 'icon.svg'));
  const assets = { ...namedOutputs(metafile, parts, hls.hls), 'icon.svg': icon };
  const page = fillIn(readFileSync(join(SOURCE, 'index.html'), 'utf8'), assets);
  for (const language of UI_LANGUAGES) {
    const html = pageIn(language, page, parts.catalogs[language]);
    writeFileSync(join(OUT, `index.${language}.html`), html);
    if (language === 'en') writeFileSync(join(OUT, 'index.html'), html);
  }
  report(parts, hls);
  precompressDir(OUT);
}

/** hls.js and its worker, as copied into the assets (their addresses). */
interface HlsFiles {
  hls: string;
  worker: string;
}

/** How the page's code is bundled (the catalogs' plugin aside). */
function bundleOptions({ hls, worker }: HlsFiles) {
  return {
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
    // Unused results are dropped: libs/protocol's CLIENT_ACTIONS (for the server) and the action table it
    // is made from would otherwise come along with LIVE_NAMESPACE.
    pure: ['Object.keys'],
    entryNames: '[name]-[hash]',
    chunkNames: '[name]-[hash]',
    metafile: true,
    tsconfig: join(__dirname, 'tsconfig.json'),
    define: { HLS_WORKER_PATH: JSON.stringify(worker), HLS_PATH: JSON.stringify(hls) },
    // hls.js as copied: `import(HLS_PATH)` stays as it is.
    external: [hls],
    alias: {
      '@pressroom/protocol': join(ROOT, 'libs/protocol/src/index.ts'),
      '@pressroom/live-client': join(ROOT, 'libs/live-client/src/index.ts'),
      '@pressroom/studio-client': join(ROOT, 'libs/studio-client/src/index.ts'),
    },
    logLevel: 'warning',
  } satisfies BuildOptions;
}

/**
 * The live connection goes over WebSocket, else long-polling (libs/live-client), and the server offers
 * nothing else: engine.io's WebTransport transport is never made, so the page leaves its code out.
 */
function withoutWebTransport(): Plugin {
  return {
    name: 'without-webtransport',
    setup(build) {
      build.onResolve({ filter: /^\.\/webtransport\.js$/ }, ({ importer }) =>
        importer.includes('engine.io-client') ? { path: 'webtransport', namespace: 'unused' } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: 'unused' }, () => ({
        contents: 'export class WT { constructor() { throw new Error("WebTransport is not used"); } }',
        loader: 'js',
      }));
    },
  };
}

/**
 * The page takes hls.js's types from its main entry and its code only from `HLS_PATH` (player.ts): an
 * import of 'hls.js' for its code would bundle the full build, twice the light one's size.
 */
function hlsAsPublished(): Plugin {
  return {
    name: 'hls-as-published',
    setup(build) {
      build.onResolve({ filter: /^hls\.js(\/.*)?$/ }, ({ importer }) => ({
        errors: [{ text: `${importer} imports hls.js's code: import its types only, its code comes from HLS_PATH` }],
      }));
    },
  };
}

/** A language's messages of the event page ("page" section of its catalog file). */
function pageMessages(language: UiLanguage): Record<string, string> {
  const catalog = JSON.parse(readFileSync(join(CATALOGS, `${language}.json`), 'utf8')) as { page?: unknown };
  const messages = catalog.page;
  if (!messages || typeof messages !== 'object') throw new Error(`${language}.json has no "page" section`);
  return messages as Record<string, string>;
}

/**
 * The messages the page's first script never uses: index.html's fixed text (each language's page arrives
 * with it in place) and what only the chunks fetched later say (captions, languages, the stage). The
 * catalog each page preloads leaves them out; they come (`virtual:catalog-later/<language>`) with those
 * chunks, or on a change of language. A key is a source file's when written whole in it: one made of parts
 * (`error.${code}`, a rare refusal) comes later unless named somewhere (dom.ts's REFUSALS_AT_ONCE: those
 * shown while the network or the server is down). The page's own files are found by bundling it once
 * without them.
 */
async function laterMessages(hls: HlsFiles): Promise<Set<string>> {
  const { metafile } = await build({
    ...bundleOptions(hls),
    write: false,
    external: ['virtual:*', hls.hls],
    plugins: [withoutWebTransport(), hlsAsPublished()],
    loader: { '.css': 'empty' },
  });
  const outputs = metafile.outputs;
  const entry = Object.keys(outputs).find((path) => outputs[path]!.entryPoint?.endsWith('main.ts'))!;
  const pageChunks = new Set<string>();
  const visit = (path: string) => {
    if (pageChunks.has(path)) return;
    pageChunks.add(path);
    for (const imported of outputs[path]!.imports) if (imported.kind === 'import-statement') visit(imported.path);
  };
  visit(entry);
  const pageFiles = [...pageChunks]
    .flatMap((path) => Object.keys(outputs[path]!.inputs))
    .filter((file) => file.startsWith('apps/viewer/src/'));
  const code = pageFiles.map((file) => readFileSync(join(ROOT, file), 'utf8')).join('\n');
  const now = (key: string) => code.includes(`'${key}'`) || code.includes(`"${key}"`);
  return new Set(Object.keys(pageMessages('en')).filter((key) => !now(key)));
}

/**
 * `import('virtual:catalog/es')`: the Spanish catalog compiled by @messageformat/core into a module of
 * functions (plurals from the runtime's small per-language rules, no parser shipped to the browser). A
 * message missing from a language falls back to English (the catalog test fails on it).
 */
function compiledCatalogs(later: Set<string>): Plugin {
  return {
    name: 'pressroom-catalogs',
    setup(build) {
      build.onResolve({ filter: CATALOG_MODULE }, ({ path }) => ({ path, namespace: 'catalog' }));
      build.onLoad({ filter: /.*/, namespace: 'catalog' }, ({ path }) => {
        const [, laterPart, language] = CATALOG_MODULE.exec(path)! as unknown as [
          string,
          string | undefined,
          UiLanguage,
        ];
        const all = { ...pageMessages('en'), ...pageMessages(language) };
        const messages = Object.fromEntries(
          Object.entries(all).filter(([key]) => later.has(key) === (laterPart !== undefined)),
        );
        const contents = compileModule(new MessageFormat(language, { currency: 'EUR' }), messages);
        return { contents, loader: 'js', resolveDir: ROOT };
      });
    },
  };
}

/**
 * The page in one language: its fixed text from the catalog (the same code the page runs when someone
 * picks a language), `<html lang>`, and its catalog's chunk preloaded so the script has it at once.
 */
function pageIn(language: UiLanguage, page: string, catalogChunks: string[]): string {
  const dom = new JSDOM(page);
  const document = dom.window.document;
  const messages = { ...pageMessages('en'), ...pageMessages(language) };
  const formatter = new MessageFormat(language);
  applyStaticTexts(document, (key) => {
    const message = messages[key];
    if (message === undefined) throw new Error(`index.html names "${key}", which the catalogs do not have`);
    return formatter.compile(message)({});
  });
  document.documentElement.lang = language;
  for (const chunk of catalogChunks) {
    const preload = document.createElement('link');
    preload.rel = 'modulepreload';
    preload.href = `${PUBLIC_ASSETS}/${basename(chunk)}`;
    document.head.querySelector('script[type="module"]')!.before(preload);
  }
  // Without index.html's indentation (white space at the start of a line shows nowhere: no <pre>, the
  // pre-line description is filled in by code): 0.2 KB less gzipped.
  return dom.serialize().replace(/\n[ \t]+/g, '\n');
}

/**
 * What index.html names: the entry's script and style sheet, and as modulepreloads the chunks the page
 * needs at once (the shared ones main imports, and hls.js, fetched alongside instead of after main has
 * run). hls.js, the largest, is fetched at low priority: the page's own script, style sheet and API calls
 * go first, so the page shows sooner on a slow connection, and the player has it by the time the join is
 * done. The stage's chunk (the device check, the studio client and mediasoup-client) is never preloaded:
 * only a journalist invited on stage fetches it.
 */
function namedOutputs(metafile: Metafile, parts: Parts, hls: string): Record<string, string> {
  const named: Record<string, string> = {};
  const preloads = [`<link rel="modulepreload" href="${hls}" fetchpriority="low" />`];
  for (const [path, output] of Object.entries(metafile.outputs)) {
    const url = `${PUBLIC_ASSETS}/${basename(path)}`;
    if (output.entryPoint?.endsWith('main.ts')) {
      named['main.js'] = url;
      if (output.cssBundle) named['main.css'] = `${PUBLIC_ASSETS}/${basename(output.cssBundle)}`;
    } else if (path.endsWith('.js') && parts.page.has(path)) {
      preloads.push(`<link rel="modulepreload" href="${url}" />`);
    }
  }
  named['modulepreloads'] = preloads.sort().join('\n    ');
  return named;
}

/** The build's outputs by when a browser fetches them (paths as in the metafile). */
interface Parts {
  /** The page itself: the entry, its style sheet and the chunks it imports statically. */
  page: Set<string>;
  /** Only on an invitation on stage: the device check, the studio client, mediasoup-client. */
  stage: Set<string>;
  /**
   * Each language's compiled catalog and the chunks it imports (the plural rules' runtime): its own page
   * preloads them; the others load on a pick from the menu.
   */
  catalogs: Record<UiLanguage, string[]>;
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
  const stage = lazy(relative(process.cwd(), STAGE_MODULE).split('\\').join('/'));
  const catalogs = Object.fromEntries(
    UI_LANGUAGES.map((language) => {
      const chunk = Object.keys(outputs).find(
        (path) => outputs[path]!.entryPoint === `catalog:virtual:catalog/${language}`,
      );
      if (!chunk) throw new Error(`The build has no catalog chunk for ${language}`);
      return [language, [...closure(chunk)].filter((path) => !page.has(path))];
    }),
  ) as Record<UiLanguage, string[]>;
  return { page, stage, catalogs };
}

/**
 * Copies a file into the assets (as `as`) with a content hash in its name, as esbuild names its own,
 * without its source map's comment (the map is not copied).
 */
function copyHashed(file: string, as = basename(file)): string {
  const content = readFileSync(file, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
  const hash = createHash('sha256').update(content).digest('hex').slice(0, 8).toUpperCase();
  const name = as.replace(/(\.[^.]+)$/, `-${hash}$1`);
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
function report(parts: Parts, hls: HlsFiles): void {
  const files = readdirSync(ASSETS)
    .sort()
    .map((name) => join(ASSETS, name));
  const catalogOf = new Map(
    Object.entries(parts.catalogs).flatMap(([language, paths]) => paths.map((path) => [basename(path), language])),
  );
  const shared = (file: string) =>
    Object.values(parts.catalogs).every((paths) => paths.some((p) => basename(p) === basename(file)));
  const whenOf = (file: string): string => {
    // The catalogs' shared runtime comes with every language's page.
    if (shared(file)) return 'initial';
    if (parts.stage.has(relative(ROOT, file).split('\\').join('/'))) return 'stage';
    if (catalogOf.has(basename(file))) return `lang ${catalogOf.get(basename(file))}`;
    if (basename(file) === basename(hls.worker)) return 'worker';
    const path = relative(ROOT, file).split('\\').join('/');
    // Named by index.html: the page's script, style sheet and chunks, hls.js, the icon. Else: fetched later,
    // when the page needs it (another language's fixed text on a change of language).
    const named = parts.page.has(path) || basename(file) === basename(hls.hls) || file.endsWith('.svg');
    return named ? 'initial' : 'later';
  };
  const gzipped = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;
  const totals: Record<string, number> = { initial: 0, worker: 0, stage: 0, later: 0 };
  const rows = files.map((file) => {
    const size = gzipped(file);
    const when = whenOf(file);
    totals[when] = (totals[when] ?? 0) + size;
    return `  ${relative(ROOT, file).padEnd(48)} ${when.padEnd(8)} ${kb(statSync(file).size).padStart(10)} ${kb(size).padStart(10)}`;
  });
  console.log(`  ${'file'.padEnd(48)} ${'fetched'.padEnd(8)} ${'raw'.padStart(10)} ${'gzipped'.padStart(10)}`);
  console.log(rows.join('\n'));
  const verdict = (size: number, budget: number) =>
    `${kb(size)} (${size <= budget ? 'within' : 'OVER'} the ${kb(budget)} budget)`;
  let over = false;
  for (const language of UI_LANGUAGES) {
    // What index.<language>.html names: the page, its style sheet, icon, scripts, hls.js and its catalog.
    const initial = gzipped(join(OUT, `index.${language}.html`)) + totals['initial']! + totals[`lang ${language}`]!;
    const all = initial + totals['worker']! + totals['stage']!;
    console.log(
      `  initial event page in ${language}, as index.${language}.html names it: ${verdict(initial, INITIAL_BUDGET)}`,
    );
    if (language === 'en' || all > TOTAL_BUDGET)
      console.log(`  everything, in ${language}: ${verdict(all, TOTAL_BUDGET)}`);
    over ||= initial > INITIAL_BUDGET || all > TOTAL_BUDGET;
  }
  console.log(`  hls.js's worker, once the player runs:      ${kb(totals['worker']!)}`);
  console.log(`  stage, on an invitation only (WebRTC):     ${kb(totals['stage']!)}`);
  console.log(`  later, when needed (all languages):        ${kb(totals['later']!)}`);
  const html = readFileSync(join(OUT, 'index.html'), 'utf8');
  const leaked = [...parts.stage].filter((path) => html.includes(basename(path)));
  if (leaked.length) console.error(`  index.html names the stage's code: ${leaked.join(', ')}`);
  if (over || leaked.length || totals['stage'] === 0) process.exitCode = 1;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
