import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AudioFeed } from '../../apps/api/src/broadcast/continuous/audio-feed';
import { ContinuousComposite } from '../../apps/api/src/broadcast/continuous/continuous-composite';
import { buildSdp } from '../../apps/api/src/broadcast/sdp';
import { freeUdpPortPair } from './harness/udp';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A microphone as mediasoup would send it: a sine as Opus over RTP. */
function microphone(port: number, frequency: number): ChildProcess {
  // prettier-ignore
  return spawn('ffmpeg', [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', `sine=frequency=${frequency}:sample_rate=48000`,
    '-c:a', 'libopus', '-ac', '2', '-b:a', '48k', '-payload_type', '101', '-f', 'rtp',
    `rtp://127.0.0.1:${port}?rtcpport=${port + 1}&pkt_size=1200`,
  ], { stdio: 'ignore' });
}

/**
 * Speakers' microphones come and go while the continuous composite runs: each is decoded by an AudioFeed
 * (real FFmpeg, real RTP/Opus), mixed in Node, and heard in the broadcast; the composite never restarts.
 */
describe('continuous composite: microphones that come and go (real FFmpeg, RTP Opus)', () => {
  const ON_MS = 3_000;
  let dir: string;
  let composite: ContinuousComposite;
  let pid: number | undefined;
  const marks: Record<string, number> = {};
  /** RMS and zero crossings per second of the broadcast's sound, per 100 ms. */
  const windows: Array<{ rms: number; crossings: number }> = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'continuous-audio-'));
    composite = await ContinuousComposite.create({
      ffmpegPath: 'ffmpeg',
      dir,
      run: 1,
      slate: { title: 'Audio', status: 'Speakers come and go' },
    });
    pid = composite.pid;
    const media = () => (Date.now() - composite.clockStart) / 1000;
    const speak = async (id: string, frequency: number) => {
      const port = await freeUdpPortPair();
      composite.addAudio(id);
      const feed = await AudioFeed.start({
        dir,
        sdpFile: `work/${id}.sdp`,
        sdp: buildSdp([
          {
            kind: 'audio',
            port,
            rtcpPort: port + 1,
            payloadType: 101,
            mimeType: 'audio/opus',
            clockRate: 48_000,
            channels: 2,
          },
        ]),
        ffmpegPath: 'ffmpeg',
        onPcm: (pcm) => composite.pushAudio(id, pcm),
      });
      await sleep(300); // FFmpeg listening
      const mic = microphone(port, frequency);
      marks[`${id} on`] = media();
      await sleep(ON_MS);
      marks[`${id} off`] = media();
      mic.kill('SIGKILL');
      await feed.close();
      await feed.close();
      composite.removeAudio(id);
    };
    try {
      await sleep(1_000);
      await speak('a', 440);
      await sleep(1_500);
      await speak('b', 880);
      await sleep(1_000);
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
      ['-v', 'error', '-i', whole, '-map', '0:a', '-ac', '1', '-ar', '8000', '-f', 's16le', '-'],
      { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
    );
    const size = 800;
    for (let start = 0; start + size * 2 <= stdout.length; start += size * 2) {
      let sum = 0;
      let crossings = 0;
      for (let i = 0; i < size; i++) {
        const sample = stdout.readInt16LE(start + i * 2);
        sum += sample ** 2;
        if (i > 0 && Math.sign(sample) !== Math.sign(stdout.readInt16LE(start + (i - 1) * 2))) crossings++;
      }
      windows.push({ rms: Math.sqrt(sum / size), crossings: crossings * 10 });
    }
  }, 90_000);

  afterAll(async () => {
    await composite?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** The windows well inside [from, to] (media seconds). */
  const between = (from: number, to: number) => windows.slice(Math.ceil(from * 10), Math.floor(to * 10));
  const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;

  it('plays each speaker while their microphone is on, silence before, between and after', () => {
    console.log('marks (media seconds):', JSON.stringify(marks));
    const a = between(marks['a on']! + 0.8, marks['a off']!);
    const b = between(marks['b on']! + 0.8, marks['b off']!);
    expect(median(a.map((w) => w.rms))).toBeGreaterThan(1_000);
    expect(median(b.map((w) => w.rms))).toBeGreaterThan(1_000);
    // A sine crosses zero twice a period.
    expect(median(a.map((w) => w.crossings))).toBeGreaterThan(800);
    expect(median(a.map((w) => w.crossings))).toBeLessThan(960);
    expect(median(b.map((w) => w.crossings))).toBeGreaterThan(1_680);
    expect(median(b.map((w) => w.crossings))).toBeLessThan(1_840);
    for (const quiet of [
      between(0.3, marks['a on']!),
      between(marks['a off']! + 0.6, marks['b on']!),
      between(marks['b off']! + 0.6, windows.length / 10),
    ]) {
      expect(Math.max(...quiet.map((w) => w.rms))).toBeLessThan(100);
    }
  });

  it('never restarted the composite', () => {
    expect(pid).toBeGreaterThan(0);
    expect(composite.pid).toBe(pid);
  });
});
