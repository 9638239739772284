import type { EventDetails } from '@pressroom/protocol';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Api } from './harness/api';
import { filesUnder } from './harness/disk-scan';
import { LiveClient } from './harness/live-client';
import { waitFor } from './harness/media';
import { startServer, type TestServer } from './harness/server';

/**
 * `systemctl stop` (or Ctrl-C) while the server is still doing what a change started: when the API says it
 * has stopped, that work is done, and nothing of it writes on. (A purge's deletion that outlived the stop
 * wrote a playlist into a folder being deleted, and left a purged event's files when the process exited.)
 */
describe('stopping the server', () => {
  let server: TestServer;

  beforeAll(async () => (server = await startServer({ PURGE_INTERVAL_SECONDS: '1' })));
  afterAll(() => server?.close());

  it('in the middle of a purge: the purged event’s files are gone once it has stopped, and nothing is written after', async () => {
    const moderatorApi = await Api.asModerator(server.url);
    const event = await moderatorApi.createEvent({ title: 'Stopped during the purge', retentionHours: 0 });
    const viewer = await LiveClient.connect(server.url, (await new Api(server.url).join(event.slug)).accessToken);
    const media = join(server.dataDir, 'media');
    const eventDir = join(media, 'broadcasts', event.id);

    await moderatorApi.expectOk('POST', `/api/events/${event.slug}/start`);
    // The broadcast runs: FFmpeg writes the ladder's playlists (the purge has one to stop).
    await waitFor(async () => (existsSync(join(eventDir, 'index.m3u8')) ? true : undefined), 30_000);
    const purged = viewer.next('event:status', (p) => p.status === 'purged', { timeoutMs: 30_000 });
    await moderatorApi.expectOk<EventDetails>('POST', `/api/events/${event.slug}/end`);
    await purged;
    viewer.close();

    await server.stop();
    expect(existsSync(eventDir)).toBe(false);
    const after = snapshot(media);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(snapshot(media)).toEqual(after);
  }, 90_000);
});

/** Every file and folder under `dir`, with its size and time of change. */
function snapshot(dir: string): string[] {
  const folders = filesUnder(dir).map((file) => file.slice(0, file.lastIndexOf('/')));
  return [...new Set([dir, ...filesUnder(dir), ...folders])]
    .filter((path) => existsSync(path))
    .map((path) => {
      const { size, mtimeMs } = statSync(path);
      return `${path} ${size} ${mtimeMs}`;
    })
    .sort();
}
