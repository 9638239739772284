import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BroadcastService } from '../../apps/api/src/broadcast/broadcast.service';
import { PROGRAM_FPS } from '../../apps/api/src/broadcast/ffmpeg-command';
import { mediaPlaylistOf } from './harness/hls';
import { waitFor } from './harness/media';
import { openPressConference, type PressConference } from './harness/press-conference';
import type { RtpSource } from './harness/rtp-source';
import { startBroadcastServer, putSpeakerOnAir, type BroadcastTestServer } from './harness/broadcast-server';
import type { TestServer } from './harness/server';

const run = promisify(execFile);

/**
 * Lips and voice together: the speaker's picture flashes while a beep sounds, every second; in the
 * broadcast each flash must come with its beep, within what viewers notice (ITU-R BT.1359: sound at
 * most 45 ms before the picture, 125 ms after it), give or take what the measure itself cannot tell apart:
 * a flash is found to the frame (33 ms at 30 fps), a beep to its 10 ms window (one such step moved a
 * reading from -21 to -64 ms in a CI run).
 */
const MEASURE_MS = Math.ceil(1000 / PROGRAM_FPS) + 10;
const EARLIEST_MS = -45 - MEASURE_MS;
const LATEST_MS = 125 + MEASURE_MS;
describe('broadcast: sound and picture in sync (FFmpeg, real mediasoup, real server)', () => {
  let broadcast: BroadcastTestServer;
  let server: TestServer;
  let room: PressConference;
  let source: RtpSource;
  /** When the speaker went on air: the segments from then on are theirs. */
  let onAirAt: number;

  beforeAll(async () => {
    broadcast = await startBroadcastServer();
    server = broadcast.server;
    room = await openPressConference(server, { title: 'Lip sync' });
    await room.moderatorApi.expectOk('POST', `/api/events/${room.event.slug}/start`);
    onAirAt = Date.now();
    ({ source } = await putSpeakerOnAir(server, room.event.id, { marks: true }));
  });

  afterAll(async () => {
    room?.close();
    await source?.close();
    await broadcast?.close();
  });

  it('each flash of the picture comes with its beep', async () => {
    const hls = `${server.url}/hls/${room.event.slug}`;
    const broadcasts = server.app.get(BroadcastService);
    const playlist = await waitFor(async () => {
      const current = await mediaPlaylistOf(hls);
      // The same encode showed the slate before the speaker: their part only.
      const speakers = current.segments.filter((s) => s.programDateTime >= onAirAt);
      // Eight seconds of the speaker (eight flashes), whatever the segment length (0.5 s by default).
      const seconds = speakers.reduce((sum, s) => sum + s.duration, 0);
      return broadcasts.status(room.event.id)?.showing === 'speakers' && seconds >= 8 ? current : undefined;
    }, 25_000);
    const segments = playlist.segments.filter((s) => s.programDateTime >= onAirAt);
    const files = [segments[0]!.init, ...segments.map((s) => s.uri)];
    const parts = await Promise.all(
      files.map(async (name) => Buffer.from(await (await fetch(`${hls}/${name}`)).arrayBuffer())),
    );
    const file = join(broadcast.work, 'speakers.mp4');
    writeFileSync(file, Buffer.concat(parts));

    const beeps = await onsets(file, 'audio');
    // The speaker's sound joins the mix a moment after their picture: from then on.
    const flashes = (await onsets(file, 'video')).filter((flash) => flash >= beeps[0]! - 0.2);
    expect(flashes.length).toBeGreaterThanOrEqual(4);
    const nearestBeep = (flash: number) =>
      beeps.reduce((nearest, at) => (Math.abs(at - flash) < Math.abs(nearest - flash) ? at : nearest));
    console.log(
      `lip sync: sound after picture ${flashes.map((f) => Math.round((nearestBeep(f) - f) * 1000)).join(', ')} ms`,
    );
    for (const flash of flashes) {
      const beep = beeps.reduce((nearest, at) => (Math.abs(at - flash) < Math.abs(nearest - flash) ? at : nearest));
      const soundAfterPictureMs = Math.round((beep - flash) * 1000);
      expect({
        flash,
        inSync: soundAfterPictureMs >= EARLIEST_MS && soundAfterPictureMs <= LATEST_MS,
        soundAfterPictureMs,
      }).toEqual({
        flash,
        inSync: true,
        soundAfterPictureMs,
      });
    }
  });
});

/** When the picture turns bright, or the sound loud (seconds into the file). */
async function onsets(file: string, kind: 'video' | 'audio'): Promise<number[]> {
  // prettier-ignore
  const [graph, tag, threshold] = kind === 'video'
    ? [`movie=${file},signalstats`, 'lavfi.signalstats.YAVG', 100]
    : [`amovie=${file},asetnsamples=480,astats=metadata=1:reset=1`, 'lavfi.astats.Overall.RMS_level', -40];
  // prettier-ignore
  const { stdout } = await run('ffprobe', [
    '-v', 'error', '-f', 'lavfi', '-i', graph, '-show_entries', `frame=pts_time:frame_tags=${tag}`, '-of', 'csv=p=0',
  ]);
  const samples = stdout
    .trim()
    .split('\n')
    .map((line) => line.split(',').map(Number) as [number, number]);
  // Silence measures -inf dB, which Number() reads as NaN: hence "not above" rather than "below".
  return samples.flatMap(([at, level], i) =>
    i > 0 && level > threshold && !(samples[i - 1]![1] > threshold) ? [at] : [],
  );
}
