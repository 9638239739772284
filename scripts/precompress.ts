/**
 * Precompression of the front ends' builds: a `.br` (Brotli, best) and a `.gz` (gzip -9) beside every
 * page, script, style sheet and SVG, so the server sends them compressed without spending CPU on every
 * request (`apps/api/src/web/frontends.ts` picks one by the browser's Accept-Encoding). A variant that
 * would not be smaller than the file is not written.
 *
 * `npm run build:viewer` calls it for dist/viewer; `node -r ts-node/register scripts/precompress.ts DIR…`
 * for the Angular builds (`npm run build:console`).
 */
import { readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** What is worth compressing: text. Images other than SVG, fonts (woff2) and media are compressed already. */
export const PRECOMPRESSED = /\.(html|js|mjs|css|svg|json|txt|webmanifest)$/;
const VARIANTS = /\.(br|gz)$/;

export interface Precompressed {
  files: number;
  rawBytes: number;
  brotliBytes: number;
}

export function precompressDir(dir: string): Precompressed {
  const result: Precompressed = { files: 0, rawBytes: 0, brotliBytes: 0 };
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      const inner = precompressDir(path);
      result.files += inner.files;
      result.rawBytes += inner.rawBytes;
      result.brotliBytes += inner.brotliBytes;
    } else if (VARIANTS.test(name) && PRECOMPRESSED.test(name.replace(VARIANTS, ''))) {
      // A variant left by an earlier build: written afresh below, or gone with its file.
      unlinkSync(path);
    }
  }
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (!PRECOMPRESSED.test(name) || statSync(path).isDirectory()) continue;
    const content = readFileSync(path);
    const brotli = brotliCompressSync(content, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
      },
    });
    const gzip = gzipSync(content, { level: 9 });
    if (brotli.length < content.length) writeFileSync(`${path}.br`, brotli);
    if (gzip.length < content.length) writeFileSync(`${path}.gz`, gzip);
    result.files++;
    result.rawBytes += content.length;
    result.brotliBytes += Math.min(brotli.length, content.length);
  }
  return result;
}

if (require.main === module) {
  const dirs = process.argv.slice(2);
  if (dirs.length === 0) {
    console.error('usage: precompress.ts DIR…');
    process.exit(2);
  }
  for (const dir of dirs) {
    const { files, rawBytes, brotliBytes } = precompressDir(dir);
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
    console.log(`  ${dir}: ${files} files, ${kb(rawBytes)} raw, ${kb(brotliBytes)} brotli`);
  }
}
