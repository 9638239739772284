import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMediaPlaylist, type HlsRun, type ParsedPlaylist } from '../broadcast/hls-playlist';
import { durationOf, liveRuns, RECORDING_FILE, RecordingExport } from './recording-export';

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 10, 0, seconds)).toISOString();
const run = (id: number, from: number, count: number): HlsRun => ({
  id,
  init: `r${id}-init.mp4`,
  segments: Array.from({ length: count }, (_, i) => ({
    uri: `r${id}-${String(i).padStart(5, '0')}.m4s`,
    duration: 1,
    programDateTime: at(from + i),
  })),
});

describe('liveRuns', () => {
  // Starting soon (r1), live from 10 s: the live slate (r2), the speakers (r3, r4); ended at 30 s (r5).
  const playlist: ParsedPlaylist = {
    runs: [run(1, 0, 11), run(2, 11, 3), run(3, 14, 9), run(4, 23, 8), run(5, 31, 4)],
    ended: true,
  };

  it('keeps the runs that began while the event was live, whole, and none of the slates around them', () => {
    const live = liveRuns(playlist, new Date(at(10)), new Date(at(30)));
    expect(live.map((r) => r.id)).toEqual([2, 3, 4]);
    expect(durationOf(live)).toBe(20);
  });

  it('finds nothing in an event that was never on air', () => {
    expect(liveRuns({ runs: [run(1, 0, 5)], ended: true }, new Date(at(10)), new Date(at(10)))).toEqual([]);
    expect(liveRuns({ runs: [], ended: false }, new Date(at(0)), new Date(at(30)))).toEqual([]);
  });
});

describe('RecordingExport', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pressroom-recording-'));
    mkdirSync(join(dir, 'work'));
    // Two runs as the broadcast writes them: a 10 fps slate, then 30 fps speakers with a tone.
    hlsRun(dir, 1, 'color=c=0x14181f:s=1280x720:r=10', 'anullsrc=r=48000:cl=stereo', 3);
    hlsRun(dir, 2, 'testsrc=s=1280x720:r=30', 'sine=f=440:r=48000', 4);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('joins runs of different rates into one 30 fps H.264 + AAC MP4, and cleans up', async () => {
    const runs = [1, 2].map((id) => parseMediaPlaylist(readFileSync(join(dir, `r${id}.m3u8`), 'utf8')).runs[0]!);
    await new RecordingExport({ dir, runs, ffmpegPath: 'ffmpeg' }).done;

    const probe = JSON.parse(
      execFileSync(
        'ffprobe',
        ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', join(dir, RECORDING_FILE)],
        {
          encoding: 'utf8',
        },
      ),
    ) as { streams: Array<Record<string, unknown>>; format: { duration: string } };
    expect(probe.streams).toMatchObject([
      { codec_name: 'h264', width: 1280, height: 720, r_frame_rate: '30/1' },
      { codec_name: 'aac', sample_rate: '48000', channels: 2 },
    ]);
    expect(Number(probe.format.duration)).toBeCloseTo(7, 0);
    expect(readdirSync(join(dir, 'work'))).toEqual([]);
  });

  it('stops FFmpeg when cancelled, leaving no MP4', async () => {
    rmSync(join(dir, RECORDING_FILE), { force: true });
    const runs = [parseMediaPlaylist(readFileSync(join(dir, 'r2.m3u8'), 'utf8')).runs[0]!];
    const making = new RecordingExport({ dir, runs, ffmpegPath: 'ffmpeg' });
    // Its first part's playlist is written just before FFmpeg starts.
    while (!existsSync(join(dir, 'work', 'recording-0.m3u8'))) await new Promise((r) => setTimeout(r, 5));
    await making.cancel();
    await expect(making.done).rejects.toThrow('cancelled');
    expect(existsSync(join(dir, RECORDING_FILE))).toBe(false);
    expect(readdirSync(join(dir, 'work'))).toEqual([]);
  });
});

/** One FFmpeg run of `seconds` 1 s fMP4 segments, named as the broadcast names them. */
function hlsRun(dir: string, id: number, video: string, audio: string, seconds: number): void {
  // prettier-ignore
  execFileSync('ffmpeg', [
    '-v', 'error', '-f', 'lavfi', '-i', video, '-f', 'lavfi', '-i', audio, '-t', String(seconds),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-force_key_frames', 'expr:gte(t,n_forced)', '-c:a', 'aac', '-ac', '2',
    '-f', 'hls', '-hls_time', '1', '-hls_list_size', '0', '-hls_segment_type', 'fmp4',
    '-hls_fmp4_init_filename', `r${id}-init.mp4`, '-hls_segment_filename', `r${id}-%05d.m4s`, `r${id}.m3u8`,
  ], { cwd: dir });
}
