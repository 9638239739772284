import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killOrphanedFfmpeg } from './orphans';

const FFMPEG = ['-nostdin', '-loglevel', 'quiet', '-re', '-f', 'lavfi', '-i', 'nullsrc=s=16x16:r=1', '-f', 'null', '-'];

/** Running, not a zombie waiting for its parent. */
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
};

/** FFmpeg whose parent is a shell, not a Node.js process (after a crash of the API it would be init). */
async function ffmpegUnderShell(cwd: string): Promise<{ shell: ChildProcess; pid: number }> {
  const shell = spawn('sh', ['-c', `ffmpeg ${FFMPEG.join(' ')} & wait`], { cwd, stdio: 'ignore' });
  await new Promise((resolve) => setTimeout(resolve, 200));
  return { shell, pid: Number(execFileSync('pgrep', ['-P', String(shell.pid)], { encoding: 'utf8' }).trim()) };
}

describe('killOrphanedFfmpeg (Linux)', () => {
  const root = mkdtempSync(join(tmpdir(), 'pressroom-orphans-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("kills FFmpeg in our directory whose parent is not a Node.js process; spares a live server's, and others", async () => {
    const dir = join(root, 'event');
    mkdirSync(dir);
    const orphan = await ffmpegUnderShell(dir);
    const elsewhere = await ffmpegUnderShell(tmpdir());
    const owned = spawn('ffmpeg', FFMPEG, { cwd: dir, stdio: 'ignore' });
    try {
      expect(await killOrphanedFfmpeg(root, '/usr/bin/ffmpeg')).toEqual([orphan.pid]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect([alive(orphan.pid), alive(elsewhere.pid), alive(owned.pid!)]).toEqual([false, true, true]);
    } finally {
      for (const pid of [orphan.pid, elsewhere.pid, owned.pid!]) if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  });
});
