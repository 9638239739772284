import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** A marker found on disk: in which file, and as which bytes. */
export interface MarkerHit {
  marker: string;
  file: string;
  encoding: 'utf8' | 'utf16le';
}

/** Every regular file under these directories (recursively), as it is now. */
export function filesUnder(...dirs: string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.push(path);
    }
  };
  for (const dir of dirs) if (statSync(dir, { throwIfNoEntry: false })?.isDirectory()) walk(dir);
  return files;
}

/**
 * Looks for each marker as raw bytes, UTF-8 and UTF-16LE, in every file under `dirs` (what `strings`
 * or a hex editor on the disk's files would find). Files that vanish meanwhile are skipped.
 */
export function findMarkers(dirs: string[], markers: readonly string[]): MarkerHit[] {
  const hits: MarkerHit[] = [];
  for (const file of filesUnder(...dirs)) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      continue;
    }
    for (const marker of markers) {
      for (const encoding of ['utf8', 'utf16le'] as const) {
        if (bytes.includes(Buffer.from(marker, encoding))) hits.push({ marker, file, encoding });
      }
    }
  }
  return hits;
}

/** The permission bits of a file or directory (0o600, 0o700, …). */
export const modeOf = (path: string): number => statSync(path).mode & 0o777;

/**
 * Deletes a test's folder once what wrote there has stopped; a file that lands while the folder is being
 * deleted (a process still exiting) is deleted on the next try: Node's own `maxRetries` retries only the
 * last `rmdir`, never the files that came meanwhile.
 */
export async function removeDir(dir: string, tries = 5): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      rmSync(dir, { recursive: true, force: true });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOTEMPTY' || attempt >= tries) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}
