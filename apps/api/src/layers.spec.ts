import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * The server's folders in layers, lowest first (docs/architecture.md draws them). A folder imports from
 * its own files and from folders of lower layers only: never upwards, never sideways.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['config', 'migrations'],
  ['common'],
  ['i18n'],
  ['realtime', 'media'],
  ['auth'],
  ['events'],
  ['access'],
  ['moderation'],
  ['chat', 'questions', 'hands', 'captions'],
  ['stage'],
  ['broadcast'],
  ['studio', 'recording', 'restream'],
  ['crew'],
  ['live', 'privacy', 'demo', 'database', 'health', 'web', 'cluster'],
];

const ROOT = __dirname;
const layerOf = new Map(LAYERS.flatMap((folders, layer) => folders.map((folder) => [folder, layer] as const)));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** `[importing folder, imported folder]` for every relative import that leaves its folder. */
function crossFolderImports(): { file: string; from: string; to: string }[] {
  const found: { file: string; from: string; to: string }[] = [];
  for (const file of sourceFiles(ROOT)) {
    const from = relative(ROOT, file).split(sep)[0]!;
    if (from.endsWith('.ts')) continue; // main.ts, app.module.ts and the factory compose everything
    for (const match of readFileSync(file, 'utf8').matchAll(/from '(\.\.\/[^']+)'/g)) {
      const to = relative(ROOT, join(file, '..', match[1]!)).split(sep)[0]!;
      if (to !== from) found.push({ file: relative(ROOT, file), from, to });
    }
  }
  return found;
}

describe('server layers', () => {
  it('places every folder of apps/api/src in a layer', () => {
    const folders = readdirSync(ROOT, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(folders.filter((folder) => !layerOf.has(folder))).toEqual([]);
  });

  it('imports only downwards', () => {
    const upwardsOrSideways = crossFolderImports()
      .filter(({ from, to }) => layerOf.get(to)! >= layerOf.get(from)!)
      .map(({ file, to }) => `${file} imports ${to}/`);
    expect(upwardsOrSideways).toEqual([]);
  });
});
