import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ContinuousComposite, type ProgramTile } from '../../apps/api/src/broadcast/continuous/continuous-composite';
import { PCM } from '../../apps/api/src/broadcast/continuous/composite-command';
import { colourDistance, solidPicture, writePicture, type Rgb } from './harness/pictures';

const run = promisify(execFile);

/**
 * The continuous composite with the real FFmpeg (no server): one process from the slate to the ended
 * slate through 1, 2, 3 and 1 speakers, a screen share as the main tile and the lower third. Each slot's
 * picture is one colour, so a decoded frame tells which tiles are on and where. Asserts what a viewer
 * gets: each layout within 1.5 s of the change, one init segment, no discontinuity, one profile,
 * timestamps that only grow, and as many media seconds as wall-clock seconds.
 */
describe('continuous composite: one FFmpeg for the whole event (real FFmpeg)', () => {
  const HOLD_MS = 2_500;
  /** The sound's RMS is taken over 10 ms windows. */
  const AUDIO_WINDOWS_PER_SECOND = 100;
  const FPS = 30;
  /** Frames are decoded at 64x36: one value per 20x20 block of the 1280x720 picture. */
  const GRID = { width: 64, height: 36, block: 20 };
  const BG: Rgb = [0x14, 0x18, 0x1f];
  const COLOURS = { a: [220, 40, 40], b: [40, 200, 60], c: [40, 70, 230], screen: [230, 40, 230] } as const;

  interface Step {
    name: string;
    /** When the change was asked for (epoch ms). */
    at: number;
    check: FrameCheck;
  }
  interface FrameCheck {
    points: Array<[x: number, y: number, colour: Rgb]>;
    slateText?: boolean;
    lowerThird?: boolean;
    /** A speaker's name at the tile's bottom left: a dark box with text, not the tile's colour. */
    label?: [x: number, y: number, tile: Rgb];
  }

  let dir: string;
  let composite: ContinuousComposite;
  let pid: number | undefined;
  const pidsSeen: Array<number | undefined> = [];
  /** FFmpeg's output behind the wall clock after each change, seconds. */
  const behind: number[] = [];
  const steps: Step[] = [];
  let frames: Buffer[] = [];
  let playlist = '';
  let clockStart = 0;
  let stopAt = 0;
  const audioRms: number[] = [];
  let packets: string[] = [];
  let videoStreams: Array<Record<string, unknown>> = [];

  const slate: FrameCheck = {
    points: [
      [200, 250, BG],
      [1000, 450, BG],
      [100, 100, BG],
      [1180, 100, BG],
      [100, 620, BG],
      [1180, 620, BG],
    ],
    slateText: true,
  };
  const one: FrameCheck = {
    points: [
      [100, 100, COLOURS.a],
      [1180, 100, COLOURS.a],
      [640, 370, COLOURS.a],
      [1180, 620, COLOURS.a],
    ],
    label: [30, 690, COLOURS.a],
  };
  const two: FrameCheck = {
    points: [
      [320, 250, COLOURS.a],
      [960, 250, COLOURS.b],
      [640, 60, BG],
      [640, 670, BG],
    ],
  };
  const three: FrameCheck = {
    points: [
      [320, 170, COLOURS.a],
      [960, 170, COLOURS.b],
      [640, 530, COLOURS.c],
      [100, 600, BG],
      [1180, 600, BG],
    ],
  };
  // The screen share 960x540 at (0, 90) beside one camera 320x180 at (960, 270).
  const screen: FrameCheck = {
    points: [
      [480, 360, COLOURS.screen],
      [480, 40, BG],
      [1120, 370, COLOURS.a],
      [1120, 100, BG],
    ],
    lowerThird: false,
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'continuous-'));
    composite = await ContinuousComposite.create({
      ffmpegPath: 'ffmpeg',
      dir,
      run: 1,
      slate: { title: 'Quarterly results', status: 'Starting soon' },
    });
    pid = composite.pid;
    clockStart = composite.clockStart;

    // Speaker A's microphone: a 440 Hz tone, pushed at the wall clock's pace while A is on.
    let toneFrames = 0;
    let toneStart = 0;
    const tone = setInterval(() => {
      if (!toneStart) return;
      const due = Math.floor(((Date.now() - toneStart) * PCM.rate) / 1000);
      const pcm = Buffer.alloc((due - toneFrames) * PCM.bytesPerFrame);
      for (let i = 0; toneFrames < due; i++, toneFrames++) {
        const sample = Math.round(8000 * Math.sin((2 * Math.PI * 440 * toneFrames) / PCM.rate));
        pcm.writeInt16LE(sample, i * 4);
        pcm.writeInt16LE(sample, i * 4 + 2);
      }
      composite.pushAudio('a', pcm);
    }, 20);

    const pictures = new Map<string, Buffer>();
    const program = async (tiles: ProgramTile[], colours: Record<string, Rgb>) => {
      const targets = await composite.setProgram(tiles);
      // What the tile feeds do: write each speaker's picture into the file its slot reads.
      await Promise.all(
        targets.map((target) => {
          const key = `${target.id}-${target.width}`;
          if (!pictures.has(key)) pictures.set(key, solidPicture(target.width, target.height, colours[target.id]!));
          return writePicture(join(dir, target.pictureFile), pictures.get(key)!);
        }),
      );
    };
    const step = async (name: string, check: FrameCheck, change: () => Promise<unknown>) => {
      const at = Date.now();
      await change();
      steps.push({ name, at, check });
      pidsSeen.push(composite.pid);
      behind.push(composite.behindSeconds);
      await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
    };
    const a: ProgramTile = { id: 'a', source: 'camera', label: 'Ana Alves' };
    const b: ProgramTile = { id: 'b', source: 'camera' };
    const c: ProgramTile = { id: 'c', source: 'camera' };
    const share: ProgramTile = { id: 'screen', source: 'screen' };
    try {
      await step('slate', slate, async () => undefined);
      await step('1 speaker', one, async () => {
        composite.addAudio('a');
        toneStart = Date.now();
        await program([a], COLOURS);
      });
      await step('2 speakers', two, () => program([a, b], COLOURS));
      await step('3 speakers', three, () => program([a, b, c], COLOURS));
      await step('back to 1 speaker', one, () => program([a], COLOURS));
      await step('screen share', screen, () => program([share, a], COLOURS));
      await step('lower third on', { ...screen, lowerThird: true }, () =>
        composite.setLowerThird({ heading: 'Jane Doe · Daily News', body: 'When does the plant open?' }),
      );
      await step('lower third off', screen, () => composite.setLowerThird(null));
      await step('ended', slate, async () => {
        composite.removeAudio('a');
        await composite.end({ title: 'Quarterly results', status: 'This press conference has ended' });
      });
    } finally {
      clearInterval(tone);
      await composite.close();
      stopAt = composite.stoppedAt!;
    }

    playlist = await readFile(composite.playlistFile, 'utf8');
    const files = await readdir(dir);
    const segments = files.filter((file) => /^r1-v720-\d+\.m4s$/.test(file)).sort();
    const whole = join(dir, 'whole.mp4');
    await writeFile(
      whole,
      Buffer.concat(await Promise.all(['r1-v720-init.mp4', ...segments].map((file) => readFile(join(dir, file))))),
    );
    const big = { encoding: 'buffer' as const, maxBuffer: 256 * 1024 * 1024 };
    const video = await run(
      'ffmpeg',
      // prettier-ignore
      ['-v', 'error', '-threads', '1', '-i', whole, '-map', '0:v', '-vf', `scale=${GRID.width}:${GRID.height}:flags=area`,
        '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
      big,
    );
    const frameBytes = GRID.width * GRID.height * 3;
    frames = Array.from({ length: Math.floor(video.stdout.length / frameBytes) }, (_, i) =>
      video.stdout.subarray(i * frameBytes, (i + 1) * frameBytes),
    );
    const audio = await run(
      'ffmpeg',
      ['-v', 'error', '-i', whole, '-map', '0:a', '-ac', '1', '-ar', '8000', '-f', 's16le', '-'],
      big,
    );
    const window = 8000 / AUDIO_WINDOWS_PER_SECOND;
    for (let start = 0; start + window * 2 <= audio.stdout.length; start += window * 2) {
      let sum = 0;
      for (let i = 0; i < window; i++) sum += audio.stdout.readInt16LE(start + i * 2) ** 2;
      audioRms.push(Math.sqrt(sum / window));
    }
    packets = (
      await run('ffprobe', ['-v', 'error', '-show_entries', 'packet=stream_index,pts,dts', '-of', 'csv=p=0', whole])
    ).stdout
      .trim()
      .split('\n');
    const streams = await run('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', whole]);
    videoStreams = (JSON.parse(streams.stdout) as { streams: Array<Record<string, unknown>> }).streams.filter(
      (stream) => stream.codec_type === 'video',
    );
  }, 150_000);

  afterAll(async () => {
    await composite?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const pixel = (frame: Buffer, x: number, y: number): Rgb => {
    const i = (Math.floor(y / GRID.block) * GRID.width + Math.floor(x / GRID.block)) * 3;
    return [frame[i]!, frame[i + 1]!, frame[i + 2]!];
  };
  const bluish = ([r, , b]: Rgb) => b > 120 && b > r + 60;
  const matches = (frame: Buffer, check: FrameCheck) =>
    check.points.every(([x, y, colour]) => colourDistance(pixel(frame, x, y), colour) < 70) &&
    (check.slateText === undefined ||
      // The title, centred on y = 290 (slate-title.ts): some block of its line is not the background.
      Array.from({ length: 24 }, (_, i) => pixel(frame, 400 + i * 20, 290)).some(
        (colour) => colourDistance(colour, BG) > 40,
      ) === check.slateText) &&
    // The heading's blue box over the screen share.
    (check.lowerThird === undefined || bluish(pixel(frame, 110, 550)) === check.lowerThird) &&
    (check.label === undefined || colourDistance(pixel(frame, check.label[0], check.label[1]), check.label[2]) > 50);

  it('runs one FFmpeg from the slate to the end', () => {
    expect(pid).toBeGreaterThan(0);
    expect(pidsSeen).toEqual(steps.map(() => pid));
    expect(composite.running).toBe(false);
    expect(existsSync(`/proc/${pid}`)).toBe(false);
  });

  const mediaOf = (at: number) => (at - clockStart) / 1000;
  /** The first frame of each step's layout (from 1.5 s before it was asked for). */
  const appearances = () =>
    steps.map((step) => {
      const from = Math.max(0, Math.floor((mediaOf(step.at) - 1.5) * FPS));
      const index = frames.findIndex((frame, i) => i >= from && matches(frame, step.check));
      return index < 0 ? Number.NaN : index;
    });

  it('shows each layout within 1.5 s of the change, and keeps it until the next', () => {
    const appeared = appearances();
    const report = steps.map((step, i) => ({
      step: step.name,
      askedAt: Number(mediaOf(step.at).toFixed(2)),
      shownAt: Number((appeared[i]! / FPS).toFixed(2)),
    }));
    console.log('layout changes (media seconds):', JSON.stringify(report));
    for (const [i, step] of steps.entries()) {
      const delay = appeared[i]! / FPS - mediaOf(step.at);
      expect({ step: step.name, late: delay <= 1.5 && delay >= -1.5 }).toEqual({ step: step.name, late: true });
      const until = i + 1 < steps.length ? appeared[i + 1]! : frames.length;
      const held = frames.slice(appeared[i], until).filter((frame) => matches(frame, step.check)).length;
      const share = held / (until - appeared[i]!);
      expect({ step: step.name, held: share > 0.9 }).toEqual({ step: step.name, held: true });
    }
  });

  it('writes one init segment, no discontinuity, one H.264 profile, timestamps that only grow', () => {
    expect(playlist.match(/#EXT-X-MAP/g)).toHaveLength(1);
    expect(playlist).not.toContain('#EXT-X-DISCONTINUITY');
    expect(videoStreams).toHaveLength(1);
    expect(videoStreams[0]).toMatchObject({
      codec_name: 'h264',
      profile: 'High',
      width: 1280,
      height: 720,
      r_frame_rate: '30/1',
    });
    const last = new Map<string, number>();
    let backwards = 0;
    for (const line of packets) {
      const [stream, pts, dts] = line.split(',');
      const time = Number(dts === 'N/A' ? pts : dts);
      if (last.has(stream!) && time <= last.get(stream!)!) backwards++;
      last.set(stream!, time);
    }
    expect(last.size).toBe(2);
    expect(backwards).toBe(0);
  });

  it('makes as many media seconds as wall-clock seconds, dated by the wall clock', () => {
    const durations = [...playlist.matchAll(/#EXTINF:([\d.]+)/g)].map((match) => Number(match[1]));
    const media = durations.reduce((sum, duration) => sum + duration, 0);
    const wall = (stopAt - clockStart) / 1000;
    console.log(`media ${media.toFixed(2)} s for ${wall.toFixed(2)} s of wall clock; ${frames.length} frames`);
    expect(Math.abs(media - wall)).toBeLessThanOrEqual(0.5);
    const firstDate = /#EXT-X-PROGRAM-DATE-TIME:(\S+)/.exec(playlist)?.[1];
    const dated = Date.parse(firstDate!.replace(/\+0000$/, 'Z'));
    console.log(`first segment dated ${dated - clockStart} ms after FFmpeg's clock start`);
    expect(Math.abs(dated - clockStart)).toBeLessThanOrEqual(500);
    expect(Math.abs(frames.length / FPS - media)).toBeLessThanOrEqual(0.5);
    console.log(`output behind the wall clock after each change: ${behind.map((s) => s.toFixed(2)).join(', ')} s`);
    expect(Math.max(...behind)).toBeLessThan(1.5);
  });

  it('mixes a speaker in and out of the sound without a restart, in time with the picture', () => {
    // The slate is silent, speaker A's tone is heard while A is on, silence after.
    const rmsBetween = (from: number, to: number) => {
      const part = audioRms.slice(
        Math.ceil(from * AUDIO_WINDOWS_PER_SECOND),
        Math.floor(to * AUDIO_WINDOWS_PER_SECOND),
      );
      return part.reduce((sum, value) => sum + value, 0) / part.length;
    };
    const media = (step: number) => mediaOf(steps[step]!.at);
    expect(rmsBetween(0.5, media(1) - 0.3)).toBeLessThan(100);
    expect(rmsBetween(media(2), media(4))).toBeGreaterThan(2_000);
    expect(rmsBetween(media(8) + 1, media(8) + 2)).toBeLessThan(100);
    // A's voice and A's picture start together (both asked for at once): the sound is paced from
    // FFmpeg's own clock start, so it is not shifted by FFmpeg's start-up time.
    const heard = audioRms.findIndex((rms, i) => i >= (media(1) - 1) * AUDIO_WINDOWS_PER_SECOND && rms > 1_000);
    const seen = appearances()[1]! / FPS;
    const offset = heard / AUDIO_WINDOWS_PER_SECOND - seen;
    console.log(`speaker A heard ${(offset * 1000).toFixed(0)} ms after being seen`);
    expect(Math.abs(offset)).toBeLessThanOrEqual(0.25);
  });
});

describe('continuous composite: failures (real FFmpeg)', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'continuous-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('says why when FFmpeg cannot start', async () => {
    await expect(
      ContinuousComposite.create({
        ffmpegPath: join(dir, 'no-ffmpeg'),
        dir,
        run: 1,
        slate: { title: 't', status: 's' },
      }),
    ).rejects.toThrow(/did not start[\s\S]*ENOENT/);
  });

  it('tells its owner when FFmpeg dies, and refuses changes from then on', async () => {
    const composite = await ContinuousComposite.create({
      ffmpegPath: 'ffmpeg',
      dir,
      run: 1,
      slate: { title: 't', status: 's' },
    });
    try {
      await expect(
        composite.setProgram([
          { id: 'a', source: 'camera' },
          { id: 'a', source: 'camera' },
        ]),
      ).rejects.toThrow(/twice/);
      await composite.setProgram([{ id: 'a', source: 'camera' }]);
      const exited = new Promise((resolve) => composite.once('exit', (code, signal) => resolve(signal)));
      process.kill(composite.pid!, 'SIGKILL');
      await expect(exited).resolves.toBe('SIGKILL');
      expect(composite.running).toBe(false);
      await expect(composite.setLowerThird({ heading: 'h', body: 'b' })).rejects.toThrow(/closed/);
    } finally {
      await composite.close();
      await composite.close();
    }
  });

  it('applies changes asked for all at once in order: the last one is what shows', async () => {
    const composite = await ContinuousComposite.create({
      ffmpegPath: 'ffmpeg',
      dir,
      run: 1,
      slate: { title: 't', status: 's' },
    });
    const colour: Record<string, Rgb> = { a: [220, 40, 40], b: [40, 200, 60], c: [40, 70, 230] };
    try {
      const cams = (...ids: string[]) => ids.map((id) => ({ id, source: 'camera' as const }));
      const changes = [
        composite.setProgram(cams('a')),
        composite.setProgram(cams('a', 'b', 'c')),
        composite.setLowerThird({ heading: 'h', body: 'b' }),
        composite.setProgram(cams('b')),
        composite.setProgram(cams('a', 'b')),
        composite.setLowerThird(null),
        composite.setProgram(cams('c', 'a')),
      ];
      const results = await Promise.all(changes);
      const last = results[results.length - 1] as Awaited<ReturnType<ContinuousComposite['setProgram']>>;
      await Promise.all(
        last.map((target) =>
          writePicture(join(dir, target.pictureFile), solidPicture(target.width, target.height, colour[target.id]!)),
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 1_500));
    } finally {
      await composite.close();
    }
    const segments = (await readdir(dir)).filter((file) => /^r1-v720-\d+\.m4s$/.test(file)).sort();
    const whole = join(dir, 'whole.mp4');
    await writeFile(
      whole,
      Buffer.concat(await Promise.all(['r1-v720-init.mp4', ...segments].map((file) => readFile(join(dir, file))))),
    );
    const { stdout } = await run(
      'ffmpeg',
      // prettier-ignore
      ['-v', 'error', '-sseof', '-0.5', '-i', whole, '-frames:v', '1', '-vf', 'scale=4:4:flags=area',
        '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
      { encoding: 'buffer' },
    );
    // Two cameras side by side in the middle band: c on the left, a on the right (a 4x4 grid of 320x180).
    const at = (x: number, y: number): Rgb => [
      stdout[(y * 4 + x) * 3]!,
      stdout[(y * 4 + x) * 3 + 1]!,
      stdout[(y * 4 + x) * 3 + 2]!,
    ];
    expect(colourDistance(at(0, 1), colour.c!)).toBeLessThan(60);
    expect(colourDistance(at(3, 2), colour.a!)).toBeLessThan(60);
    expect(colourDistance(at(1, 0), [0x14, 0x18, 0x1f])).toBeLessThan(60);
  });

  it("says which slot froze when a picture file was deleted (FFmpeg's image2 input ends for good)", async () => {
    const composite = await ContinuousComposite.create({
      ffmpegPath: 'ffmpeg',
      dir,
      run: 1,
      slate: { title: 't', status: 's' },
    });
    try {
      const lost = new Promise((resolve) => composite.once('slotLost', resolve));
      const [, target] = await composite.setProgram([
        { id: 'a', source: 'camera' },
        { id: 'b', source: 'camera' },
      ]);
      await unlink(join(dir, target!.pictureFile));
      await expect(lost).resolves.toBe(target!.slot);
      expect(composite.running).toBe(true);
    } finally {
      await composite.close();
    }
  });
});
