import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ContinuousComposite, type TileTarget } from '../../apps/api/src/broadcast/continuous/continuous-composite';
import { SlotFeed } from '../../apps/api/src/broadcast/continuous/slot-feed';
import { buildSdp } from '../../apps/api/src/broadcast/sdp';
import { freeUdpPortPair } from './harness/udp';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const GREEN = [0x28, 0xc8, 0x3c] as const;
const RED = [0xdc, 0x28, 0x28] as const;

/** A camera as mediasoup would send it: one colour as H.264 over RTP, a keyframe a second. */
function camera(port: number, colour: readonly number[]): ChildProcess {
  const hex = colour.map((c) => c.toString(16).padStart(2, '0')).join('');
  // prettier-ignore
  return spawn('ffmpeg', [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', `color=c=0x${hex}:s=640x480:r=30`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-profile:v', 'baseline', '-pix_fmt', 'yuv420p',
    '-g', '30', '-payload_type', '102', '-f', 'rtp', `rtp://127.0.0.1:${port}?rtcpport=${port + 1}&pkt_size=1200`,
  ], { stdio: 'ignore' });
}

async function videoSdp(): Promise<{ port: number; sdp: string }> {
  const port = await freeUdpPortPair();
  const sdp = buildSdp([
    {
      kind: 'video',
      port,
      rtcpPort: port + 1,
      payloadType: 102,
      mimeType: 'video/H264',
      clockRate: 90_000,
      parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f' },
    },
  ]);
  return { port, sdp };
}

async function start(dir: string): Promise<ContinuousComposite> {
  return ContinuousComposite.create({ ffmpegPath: 'ffmpeg', dir, run: 1, slate: { title: 'Feeds', status: 'Soon' } });
}

/** The colour at the centre of the broadcast's picture `fromEnd` seconds before its end. */
async function centreColour(dir: string, atSeconds: number): Promise<number[]> {
  const segments = (await readdir(dir)).filter((file) => /^r1-v720-\d+\.m4s$/.test(file)).sort();
  const whole = join(dir, 'whole.mp4');
  await writeFile(
    whole,
    Buffer.concat(await Promise.all(['r1-v720-init.mp4', ...segments].map((file) => readFile(join(dir, file))))),
  );
  const { stdout } = await run(
    'ffmpeg',
    // prettier-ignore
    ['-v', 'error', '-ss', atSeconds.toFixed(2), '-i', whole, '-frames:v', '1', '-vf', 'crop=64:64,scale=1:1:flags=area',
      '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
    { encoding: 'buffer' },
  );
  return [...stdout];
}

const near = (a: readonly number[], b: readonly number[]) =>
  Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!) < 40;

/**
 * Speakers' cameras decoded from RTP H.264 into the continuous composite's slots: SlotFeed never deletes
 * the slot's picture file, so one speaker follows another in the same slot; a slot whose file is deleted
 * anyway is lost for the rest of the run, and the composite says so.
 */
describe('continuous composite: cameras decoded into slots (real FFmpeg, RTP H.264)', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'continuous-feed-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('shows one speaker, then the next in the same slot, with SlotFeed', async () => {
    const composite = await start(dir);
    let lost: number | undefined;
    composite.on('slotLost', (slot) => (lost = slot));
    const senders: ChildProcess[] = [];
    const speak = async (target: TileTarget, colour: readonly number[]) => {
      const { port, sdp } = await videoSdp();
      const feed = await SlotFeed.start({ dir, target, sdpFile: `work/${target.id}.sdp`, sdp, ffmpegPath: 'ffmpeg' });
      await sleep(300);
      senders.push(camera(port, colour));
      expect(await feed.firstPicture(10_000)).toBe(true);
      // Where in the media this speaker is surely on (the machine may be slow: measured, not assumed).
      const from = composite.mediaSeconds;
      await sleep(2_000);
      return { feed, on: (from + composite.mediaSeconds) / 2 };
    };
    let on = { a: 0, b: 0 };
    try {
      const [a] = await composite.setProgram([{ id: 'a', source: 'camera' }]);
      const first = await speak(a!, GREEN);
      await first.feed.close();
      await first.feed.close();
      const [b] = await composite.setProgram([{ id: 'b', source: 'camera' }]);
      expect(b!.slot).toBe(a!.slot);
      const second = await speak(b!, RED);
      await second.feed.close();
      on = { a: first.on, b: second.on };
      await sleep(500);
    } finally {
      for (const sender of senders) sender.kill('SIGKILL');
      await composite.close();
    }
    expect(near(await centreColour(dir, on.a), GREEN)).toBe(true);
    expect(near(await centreColour(dir, on.b), RED)).toBe(true);
    expect(lost).toBeUndefined();
  }, 60_000);

  it('loses the slot when its picture file is deleted, and says so', async () => {
    const composite = await start(dir);
    let lost: number | undefined;
    composite.on('slotLost', (slot) => (lost = slot));
    let sender: ChildProcess | undefined;
    try {
      const [target] = await composite.setProgram([{ id: 'a', source: 'camera' }]);
      const { port, sdp } = await videoSdp();
      const feed = await SlotFeed.start({ dir, target: target!, sdpFile: 'work/a.sdp', sdp, ffmpegPath: 'ffmpeg' });
      await sleep(300);
      sender = camera(port, GREEN);
      expect(await feed.firstPicture(10_000)).toBe(true);
      await feed.close();
      await rm(join(dir, target!.pictureFile));
      await sleep(1_000);
    } finally {
      sender?.kill('SIGKILL');
      await composite.close();
    }
    expect(lost).toBe(0);
  }, 60_000);
});
