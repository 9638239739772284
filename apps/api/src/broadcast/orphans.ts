import { readdir, readFile, readlink } from 'node:fs/promises';
import { basename, sep } from 'node:path';

/**
 * FFmpeg does not die with its parent: after a crash of the API (or a test runner killed mid-test)
 * its pipelines would run on. At start, this kills FFmpeg processes working in our broadcasts
 * directory whose parent is no longer a Node.js process (a live Pressroom on the same directory keeps
 * its own). Linux only (reads /proc); elsewhere it finds nothing. Returns the pids it killed.
 */
export async function killOrphanedFfmpeg(broadcastsRoot: string, ffmpegPath: string): Promise<number[]> {
  const command = basename(ffmpegPath).slice(0, 15); // what /proc/<pid>/comm holds
  const killed: number[] = [];
  const pids = await readdir('/proc').catch(() => [] as string[]);
  for (const pid of pids.filter((name) => /^\d+$/.test(name))) {
    try {
      if ((await readFile(`/proc/${pid}/comm`, 'utf8')).trim() !== command) continue;
      const cwd = await readlink(`/proc/${pid}/cwd`);
      if (!`${cwd}${sep}`.startsWith(`${broadcastsRoot}${sep}`)) continue;
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const parent = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
      const parentCommand = await readFile(`/proc/${parent}/cmdline`, 'utf8').catch(() => '');
      if (/(^|\/)node$/.test(parentCommand.split('\0')[0] ?? '')) continue;
      process.kill(Number(pid), 'SIGKILL');
      killed.push(Number(pid));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return killed;
}
