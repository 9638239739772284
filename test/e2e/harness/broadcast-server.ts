import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { types } from 'mediasoup';
import { BroadcastService } from '../../../apps/api/src/broadcast/broadcast.service';
import { WorkerPool } from '../../../apps/api/src/media/worker-pool';
import {
  FakeStudioInput,
  RTP_SOURCE_CODECS,
  startRtpSource,
  type RtpSource,
  type RtpSourceOptions,
} from './rtp-source';
import { removeDir } from './disk-scan';
import { startServer, type TestServer } from './server';

export interface BroadcastTestServer {
  server: TestServer;
  /** Where the broadcasts are written (MEDIA_DIR). */
  mediaDir: string;
  /** A scratch folder for what a test downloads. */
  work: string;
  close(): Promise<void>;
}

/**
 * A real server with a media folder and a broadcast port range of its own: other suites (and their
 * FFmpegs) may run at the same time.
 */
export async function startBroadcastServer(env: Record<string, string> = {}): Promise<BroadcastTestServer> {
  const mediaDir = mkdtempSync(join(tmpdir(), 'pressroom-media-'));
  const work = mkdtempSync(join(tmpdir(), 'pressroom-work-'));
  const minPort = 51_000 + 2 * Math.floor(Math.random() * 3_000);
  const server = await startServer({
    MEDIA_DIR: mediaDir,
    BROADCAST_MIN_PORT: String(minPort),
    BROADCAST_MAX_PORT: String(minPort + 39),
    ...env,
  });
  return {
    server,
    mediaDir,
    work,
    async close() {
      await server.close();
      await removeDir(mediaDir);
      await removeDir(work);
    },
  };
}

export interface SpeakerOnAir {
  router: types.Router;
  source: RtpSource;
  studio: FakeStudioInput;
}

/** A synthetic speaker (camera and microphone from FFmpeg) in the studio of an event that is on air. */
export async function putSpeakerOnAir(
  server: TestServer,
  eventId: string,
  options?: RtpSourceOptions,
  speakerName = 'Minister Ruiz',
): Promise<SpeakerOnAir> {
  const router = await server.app.get(WorkerPool).next().createRouter({ mediaCodecs: RTP_SOURCE_CODECS });
  const source = await startRtpSource(router, options);
  const studio = new FakeStudioInput(router);
  server.app.get(BroadcastService).attachInput(eventId, studio);
  studio.setTracks([source.track('video', speakerName), source.track('audio', speakerName)]);
  return { router, source, studio };
}
