import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The FFmpeg processes this process started (the server runs in it): their pids. */
export function ffmpegChildren(): number[] {
  return ffmpegChildrenOf(process.pid);
}

/** The FFmpeg children of a process (e.g. an API node's encoders): their pids. */
export function ffmpegChildrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid), 'ffmpeg'], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

/** Those of `ffmpegChildren` whose arguments include `text`. */
export function ffmpegChildrenWith(text: string): number[] {
  return ffmpegChildren().filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
    } catch {
      return false; // gone meanwhile
    }
  });
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
