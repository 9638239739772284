import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMediaPlaylist, type HlsRun, type ParsedPlaylist } from '../broadcast/hls-playlist';
import { durationUntil, liveSegments, RECORDING_FILE, RecordingExport } from './recording-export';

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

describe('liveSegments (one run from slate to slate)', () => {
  it('keeps the segments from the start to the end, by program date-time, across a replaced run', () => {
    // One composite from 0 s (the slate) that died at 20 s; its replacement from 21 s; live 10.4 s to 30.3 s.
    const playlist: ParsedPlaylist = { runs: [run(1, 0, 20), run(2, 21, 14)], ended: true };
    const live = liveSegments(playlist, new Date(Date.parse(at(10)) + 400), new Date(Date.parse(at(30)) + 300));
    expect(live.map((r) => r.id)).toEqual([1, 2]);
    // From the segment whose middle is past the start (10.5 s) to the one the end falls in (30 s).
    expect(live[0]!.segments[0]!.programDateTime).toBe(at(10));
    expect(live[0]!.segments).toHaveLength(10);
    expect(live[1]!.segments.map((s) => s.programDateTime)).toEqual(Array.from({ length: 10 }, (_, i) => at(21 + i)));
    // 20 s of segments, the last cut 0.3 s into it.
    expect(durationUntil(live, Date.parse(at(30)) + 300)).toBeCloseTo(19.3, 5);
  });

  it('finds nothing in an event that was never on air', () => {
    expect(liveSegments({ runs: [run(1, 0, 5)], ended: true }, new Date(at(10)), new Date(at(10)))).toEqual([]);
  });
});

describe('RecordingExport', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pressroom-recording-'));
    mkdirSync(join(dir, 'work'));
    // Two runs of one profile, as the broadcast writes them when its composite was replaced: 30 fps, a tone.
    hlsRun(dir, 1, 'color=c=0x14181f:s=1280x720:r=30', 'anullsrc=r=48000:cl=stereo', 3);
    hlsRun(dir, 2, 'testsrc=s=1280x720:r=30', 'sine=f=440:r=48000', 4);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('joins the runs into one 30 fps H.264 + AAC MP4 without encoding, and cleans up', async () => {
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
    // x264 writes its settings into the stream: the runs' own (crf 23), no re-encode.
    expect(readFileSync(join(dir, RECORDING_FILE)).toString('latin1')).toContain('crf=23.0');
    expect(readdirSync(join(dir, 'work'))).toEqual([]);
  });

  it('cuts the part the end falls in at the end', async () => {
    rmSync(join(dir, RECORDING_FILE), { force: true });
    const [live] = parseMediaPlaylist(readFileSync(join(dir, 'r2.m3u8'), 'utf8')).runs;
    // Live from the run's first segment to 2.5 s later (the program date-times are the test's own).
    const runs = [{ ...live!, segments: live!.segments.map((s, i) => ({ ...s, programDateTime: at(i) })) }];
    await new RecordingExport({ dir, runs, ffmpegPath: 'ffmpeg', endsAt: Date.parse(at(0)) + 2_500 }).done;
    const probe = JSON.parse(
      execFileSync(
        'ffprobe',
        ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', join(dir, RECORDING_FILE)],
        {
          encoding: 'utf8',
        },
      ),
    ) as { streams: Array<Record<string, unknown>>; format: { duration: string } };
    expect(probe.streams).toMatchObject([{ codec_name: 'h264', r_frame_rate: '30/1' }, { codec_name: 'aac' }]);
    expect(Number(probe.format.duration)).toBeGreaterThan(2.4);
    expect(Number(probe.format.duration)).toBeLessThan(2.6);
    expect(readdirSync(join(dir, 'work'))).toEqual([]);
  });

  it('adds an interpretation as a second audio track: its sound where it was made, silence in a run without it', async () => {
    rmSync(join(dir, RECORDING_FILE), { force: true });
    hlsAudioRun(dir, 2, 'fr', 'sine=f=1000:r=48000', 4);
    const dated = (r: HlsRun, from: number): HlsRun => ({
      ...r,
      segments: r.segments.map((s, i) => ({ ...s, programDateTime: at(from + i) })),
    });
    const runs = [1, 2].map((id) =>
      dated(parseMediaPlaylist(readFileSync(join(dir, `r${id}.m3u8`), 'utf8')).runs[0]!, id * 10),
    );
    const french = dated(parseMediaPlaylist(readFileSync(join(dir, 'r2-audio-fr.m3u8'), 'utf8')).runs[0]!, 20);
    await new RecordingExport({
      dir,
      runs,
      ffmpegPath: 'ffmpeg',
      interpretations: [{ mp4Language: 'fra', title: 'Interpretation: French', runs: [french] }],
    }).done;
    const file = join(dir, RECORDING_FILE);
    const probe = JSON.parse(
      execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', file], {
        encoding: 'utf8',
      }),
    ) as { streams: Array<Record<string, unknown>>; format: { duration: string } };
    expect(probe.streams.map((s) => [s.codec_type, (s.tags as Record<string, string>).language])).toEqual([
      ['video', 'und'],
      ['audio', 'und'],
      ['audio', 'fra'],
    ]);
    expect(Number(probe.format.duration)).toBeCloseTo(7, 0);
    // The first run (3 s) had no French: silence; the second (4 s) the tone.
    const level = (from: number, seconds: number) =>
      // prettier-ignore
      spawnSync('ffmpeg', [
        '-hide_banner', '-ss', String(from), '-t', String(seconds), '-i', file, '-map', '0:a:1', '-af', 'volumedetect', '-f', 'null', '-',
      ], { encoding: 'utf8' }).stderr;
    expect(level(0.2, 2.5)).toMatch(/max_volume: -(inf|9\d|1\d\d)/);
    expect(Number(/mean_volume: (-?[\d.]+) dB/.exec(level(3.5, 3))?.[1])).toBeGreaterThan(-30);
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

/** An interpretation rendition's run: sound alone, 1 s fMP4 segments named as the broadcast names them. */
function hlsAudioRun(dir: string, id: number, language: string, audio: string, seconds: number): void {
  const name = `r${id}-audio-${language}`;
  // prettier-ignore
  execFileSync('ffmpeg', [
    '-v', 'error', '-f', 'lavfi', '-i', audio, '-t', String(seconds), '-c:a', 'aac', '-ac', '2',
    '-f', 'hls', '-hls_time', '1', '-hls_list_size', '0', '-hls_segment_type', 'fmp4',
    '-hls_fmp4_init_filename', `${name}-init.mp4`, '-hls_segment_filename', `${name}-%05d.m4s`, `${name}.m3u8`,
  ], { cwd: dir });
}

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
