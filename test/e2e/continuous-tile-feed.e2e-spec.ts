import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ContinuousComposite } from '../../apps/api/src/broadcast/continuous/continuous-composite';
import { buildSdp } from '../../apps/api/src/broadcast/sdp';
import { freeUdpPortPair } from './harness/udp';
import { TileFeed } from '../../apps/api/src/broadcast/tile-feed';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A camera as mediasoup would send it: a green picture as H.264 over RTP, a keyframe a second. */
function camera(port: number): ChildProcess {
  // prettier-ignore
  return spawn('ffmpeg', [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'color=c=0x28c83c:s=640x480:r=30',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-profile:v', 'baseline', '-pix_fmt', 'yuv420p',
    '-g', '30', '-payload_type', '102', '-f', 'rtp', `rtp://127.0.0.1:${port}?rtcpport=${port + 1}&pkt_size=1200`,
  ], { stdio: 'ignore' });
}

/**
 * Today's TileFeed (RTP H.264 decoded into a picture file) writing into a slot of the continuous composite:
 * the speaker's picture reaches the broadcast. And what the wiring must avoid: TileFeed.close() deletes its
 * picture file, which ends that slot's input for the rest of the event (the composite says so).
 */
describe('continuous composite: a tile feed writes into a slot (real FFmpeg, RTP H.264)', () => {
  let dir: string;
  let composite: ContinuousComposite;
  let centre: number[] = [];
  let lost: number | undefined;
  let firstPicture = false;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'continuous-feed-'));
    composite = await ContinuousComposite.create({
      ffmpegPath: 'ffmpeg',
      dir,
      run: 1,
      slate: { title: 'Feeds', status: 'A camera joins' },
    });
    composite.on('slotLost', (slot) => (lost = slot));
    const port = await freeUdpPortPair();
    let sender: ChildProcess | undefined;
    try {
      const [target] = await composite.setProgram([{ id: 'a', source: 'camera' }]);
      const feed = await TileFeed.start({
        dir,
        plan: {
          sdpFile: 'work/a-video.sdp',
          frameFile: target!.pictureFile,
          width: target!.width,
          height: target!.height,
          fit: target!.fit,
        },
        sdp: buildSdp([
          {
            kind: 'video',
            port,
            rtcpPort: port + 1,
            payloadType: 102,
            mimeType: 'video/H264',
            clockRate: 90_000,
            parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f' },
          },
        ]),
        ffmpegPath: 'ffmpeg',
      });
      await sleep(300);
      sender = camera(port);
      firstPicture = await feed.firstPicture(10_000);
      await sleep(1_500);
      await feed.close();
      await sleep(1_000);
    } finally {
      sender?.kill('SIGKILL');
      await composite.close();
    }
    const segments = (await readdir(dir)).filter((file) => /^r1-\d+\.m4s$/.test(file)).sort();
    const whole = join(dir, 'whole.mp4');
    await writeFile(
      whole,
      Buffer.concat(await Promise.all(['r1-init.mp4', ...segments].map((file) => readFile(join(dir, file))))),
    );
    // The centre of the picture, one frame before the end: the speaker's camera is the whole picture.
    const { stdout } = await run(
      'ffmpeg',
      // prettier-ignore
      ['-v', 'error', '-sseof', '-1.5', '-i', whole, '-frames:v', '1', '-vf', 'crop=64:64,scale=1:1:flags=area',
        '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
      { encoding: 'buffer' },
    );
    centre = [...stdout];
  }, 90_000);

  afterAll(async () => {
    await composite?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("shows the speaker's decoded camera in its slot", () => {
    expect(firstPicture).toBe(true);
    const [r, g, b] = centre as [number, number, number];
    expect(Math.hypot(r - 0x28, g - 0xc8, b - 0x3c)).toBeLessThan(40);
  });

  it("reports the slot lost once TileFeed.close() deleted the slot's file (the wiring must not)", () => {
    expect(lost).toBe(0);
  });
});
