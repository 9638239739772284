/**
 * `npm run bench:continuous`: what the continuous composite (apps/api/src/broadcast/continuous/) costs.
 * One composite, as for an event: the slate, then four speakers for a window, then layout changes
 * (4 → 1 → 4 speakers, and a screen share) one every two seconds. Each slot's picture is written 30 times
 * a second by a stand-in tile feed (FFmpeg testsrc2 at the slot's size, moving, so x264 has real work), and
 * four 440 Hz tones are mixed in Node as four microphones.
 *
 * Reported: the composite's cores (utime+stime from /proc/<pid>/stat over the window's wall time) on the
 * slate, at four tiles, and in the second after each layout change; how long a change takes to be
 * acknowledged by FFmpeg; this Node process's cores (the mixer, plus the bench's own tone generators); the
 * stand-in tile feeds, separately (the SlotFeeds do the same job); the machine's busy share. The slate,
 * measured in the same run, is the reference: the composite's cost with nothing to composite.
 *
 * Options: --seconds 20 (the four-tile window), --slate 8.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { compositeFiles, PCM, SLOTS } from '../../../apps/api/src/broadcast/continuous/composite-command';
import { ContinuousComposite, type ProgramTile } from '../../../apps/api/src/broadcast/continuous/continuous-composite';
import { cpuSeconds, machineBusySince, machineCpu, rssMb, sleep } from '../fanout/processes';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    slate: { type: 'string', default: '8' },
  },
});
const WINDOW_S = Number(values.seconds);
const SLATE_S = Number(values.slate);
const CHANGE_EVERY_MS = 2_000;

/** A stand-in tile feed: moving pictures written over the slot's file, as a SlotFeed does. */
function standInFeed(dir: string, file: string, width: number, height: number): ChildProcess {
  // prettier-ignore
  return spawn('ffmpeg', [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-re', '-f', 'lavfi', '-i', `testsrc2=s=${width}x${height}:r=30`,
    '-pix_fmt', 'yuv420p', '-c:v', 'pgmyuv', '-f', 'image2', '-update', '1', '-atomic_writing', '1', file,
  ], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function measure(composite: ContinuousComposite, seconds: number) {
  const pid = composite.pid!;
  const media = composite.mediaSeconds;
  const cpu = cpuSeconds(pid);
  const node = process.cpuUsage();
  const machine = machineCpu();
  const start = Date.now();
  await sleep(seconds * 1000);
  const wall = (Date.now() - start) / 1000;
  const nodeUsed = process.cpuUsage(node);
  return {
    cores: (cpuSeconds(pid) - cpu) / wall,
    nodeCores: (nodeUsed.user + nodeUsed.system) / 1e6 / wall,
    machineBusy: machineBusySince(machine),
    /** Media seconds per wall second: 1 when the composite kept pace (else its cores are what it got). */
    speed: (composite.mediaSeconds - media) / wall,
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-continuous-'));
  const composite = await ContinuousComposite.create({
    ffmpegPath: 'ffmpeg',
    dir,
    run: 1,
    slate: { title: 'Bench', status: 'Starting soon' },
  });
  const pid = composite.pid!;
  const feeds: ChildProcess[] = [];
  const tones = new Map<string, number>();
  const toneStart = Date.now();
  const toneTimer = setInterval(() => {
    const due = Math.floor(((Date.now() - toneStart) * PCM.rate) / 1000);
    for (const [id, written] of tones) {
      const pcm = Buffer.alloc((due - written) * PCM.bytesPerFrame);
      for (let i = 0; i < due - written; i++) {
        const sample = Math.round(3000 * Math.sin((2 * Math.PI * 440 * (written + i)) / PCM.rate));
        pcm.writeInt16LE(sample, i * 4);
        pcm.writeInt16LE(sample, i * 4 + 2);
      }
      composite.pushAudio(id, pcm);
      tones.set(id, due);
    }
  }, 20);
  try {
    const slate = await measure(composite, SLATE_S);
    console.log(`slate (30 fps, nothing moving): ${slate.cores.toFixed(2)} cores at ${slate.speed.toFixed(2)}x`);

    for (const slot of SLOTS) {
      feeds.push(standInFeed(dir, join(dir, compositeFiles(1).picture(slot.index)), slot.width, slot.height));
    }
    const cameras: ProgramTile[] = ['a', 'b', 'c', 'd'].map((id) => ({ id, source: 'camera', label: `Speaker ${id}` }));
    for (const { id } of cameras) {
      composite.addAudio(id);
      tones.set(id, Math.floor(((Date.now() - toneStart) * PCM.rate) / 1000));
    }
    const set = async (tiles: ProgramTile[]) => {
      const asked = Date.now();
      await composite.setProgram(tiles);
      return Date.now() - asked;
    };
    // The stand-in feeds write every slot all along: their files are not the ones setProgram blanks.
    await set(cameras);
    await sleep(2_000);
    const feedCpu = feeds.map((feed) => cpuSeconds(feed.pid!));
    const four = await measure(composite, WINDOW_S);
    const feedCores = feeds.reduce((sum, feed, i) => sum + cpuSeconds(feed.pid!) - feedCpu[i]!, 0) / (WINDOW_S + 0.001);
    console.log(
      `4 tiles, 4 microphones: composite ${four.cores.toFixed(2)} cores at ${four.speed.toFixed(2)}x over ${WINDOW_S} s ` +
        `(RSS ${rssMb(pid).toFixed(0)} MB); this Node process ${four.nodeCores.toFixed(3)} cores ` +
        `(mixer + tone generators); 5 stand-in tile feeds ${feedCores.toFixed(2)} cores; ` +
        `machine ${(four.machineBusy * 100).toFixed(0)} % busy`,
    );

    const layouts: Array<[string, ProgramTile[]]> = [
      ['1 tile', cameras.slice(0, 1)],
      ['4 tiles', cameras],
      ['screen + 2', [{ id: 's', source: 'screen' }, ...cameras.slice(0, 2)]],
      ['2 tiles', cameras.slice(0, 2)],
      ['3 tiles', cameras.slice(0, 3)],
      ['4 tiles', cameras],
    ];
    for (const [name, tiles] of layouts) {
      const before = cpuSeconds(pid);
      const start = Date.now();
      const acknowledged = await set(tiles);
      await sleep(1_000 - (Date.now() - start));
      const cores = (cpuSeconds(pid) - before) / ((Date.now() - start) / 1000);
      console.log(
        `change to ${name}: acknowledged in ${acknowledged} ms; composite ${cores.toFixed(2)} cores in the second after`,
      );
      await sleep(CHANGE_EVERY_MS - 1_000);
    }
    console.log(`same FFmpeg throughout: ${composite.pid === pid && composite.running ? 'yes' : 'NO'} (pid ${pid})`);
  } finally {
    clearInterval(toneTimer);
    for (const feed of feeds) feed.kill('SIGKILL');
    await composite.close();
    // Did the encode keep the wall clock's pace over the whole run?
    const playlist = readFileSync(composite.playlistFile, 'utf8');
    const media = [...playlist.matchAll(/#EXTINF:([\d.]+)/g)].reduce((sum, match) => sum + Number(match[1]), 0);
    const dates = [...playlist.matchAll(/#EXT-X-PROGRAM-DATE-TIME:(\S+)/g)].map((match) =>
      Date.parse(match[1]!.replace(/\+0000$/, 'Z')),
    );
    const wall = (composite.stoppedAt! - composite.clockStart) / 1000;
    console.log(
      `whole run: ${media.toFixed(2)} media seconds for ${wall.toFixed(2)} wall-clock seconds; ` +
        `first segment dated ${dates[0]! - composite.clockStart} ms after FFmpeg's clock start; ` +
        `${(playlist.match(/#EXT-X-DISCONTINUITY/g) ?? []).length} discontinuities`,
    );
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
