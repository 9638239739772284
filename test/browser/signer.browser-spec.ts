import type { EventDetails } from '@pressroom/protocol';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { SIGNER_SLOT } from '../../apps/api/src/broadcast/continuous/composite-command';
import { assignSlots, type ProgramVideo } from '../../apps/api/src/broadcast/continuous/composite-layout';
import { StudioService } from '../../apps/api/src/studio/studio.service';
import { Api } from '../e2e/harness/api';
import { startBroadcastServer, type BroadcastTestServer } from '../e2e/harness/broadcast-server';
import { decodeFrame, downloadSegment, newestSegment, savePicture, type Region } from '../e2e/harness/media';
import { colourDistance, colourShare, type Rgb } from '../e2e/harness/pictures';
import { launchChromium } from './harness/browser';
import { StudioCast } from './harness/crew';

const ROOT = resolve(__dirname, '..', '..');
const WEB_DIR = join(ROOT, 'dist');

/** The signer's fake camera: orange. The speakers' (another Chromium): blue. */
const SIGNER_COLOUR: Rgb = [0xff, 0x80, 0x00];
const SPEAKER_COLOUR: Rgb = [0x20, 0x60, 0xe0];
const hex = ([r, g, b]: Rgb) => `0x${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;

/** The signer's fixed place in the 1280x720 picture: bottom right, 320x360, 16 px from the edges. */
const SIGNER_PLACE: Region = { x: 1280 - 16 - 320, y: 720 - 16 - 360, width: 320, height: 360 };
/** Inside it, without its name's caption (its bottom 50 px) and a few pixels of edge. */
const SIGNER_INSIDE: Region = {
  x: SIGNER_PLACE.x + 6,
  y: SIGNER_PLACE.y + 6,
  width: SIGNER_PLACE.width - 12,
  height: SIGNER_PLACE.height - 60,
};

/** Where `count` speakers' pictures are drawn beside a signer (the composite's layout, composite-layout.ts). */
function speakerTiles(count: number): Region[] {
  const videos: ProgramVideo[] = [
    ...Array.from({ length: count }, (_, i) => ({ id: `speaker-${i}`, source: 'camera' as const })),
    { id: 'signer', source: 'camera', signer: true },
  ];
  const { placements } = assignSlots(videos, new Map());
  return placements.flatMap((rect, slot) => (rect && slot !== SIGNER_SLOT ? [rect] : []));
}

/** A tile without its edges and its name's caption (its bottom 50 px). */
const inset = (tile: Region): Region => ({
  x: tile.x + 8,
  y: tile.y + 8,
  width: tile.width - 16,
  height: tile.height - 60,
});

/** The share of the picture's pixels outside every tile and the signer's place that are about `colour`. */
function shareOutside(frame: Buffer, tiles: Region[], colour: Rgb): number {
  const inside = (x: number, y: number, r: Region) =>
    x >= r.x - 4 && x < r.x + r.width + 4 && y >= r.y - 4 && y < r.y + r.height + 4;
  let near = 0;
  let all = 0;
  for (let y = 0; y < 720; y++) {
    for (let x = 0; x < 1280; x++) {
      if (inside(x, y, SIGNER_PLACE) || tiles.some((tile) => inside(x, y, tile))) continue;
      all++;
      const i = (y * 1280 + x) * 3;
      if (colourDistance([frame[i]!, frame[i + 1]!, frame[i + 2]!], colour) < 70) near++;
    }
  }
  return near / all;
}

/**
 * The sign-language interpreter on the real signer's page in Chromium, whose fake camera is orange, and
 * speakers on the real studio page in another Chromium, whose fake camera is blue. In the decoded HLS
 * (FFmpeg, the 720p rendition), the signer fills the same bottom-right place with no speaker, then with 1,
 * 2 and 4 speakers, and no speaker's picture is ever drawn over it: pictures of the live segments are checked
 * one after the other (each a newer segment than the last) from the signer's first appearance to the end,
 * through every change of layout.
 */
describe("the signer's camera in its fixed place of the broadcast with 0, 1, 2 and 4 speakers (Chromium)", () => {
  let broadcast: BroadcastTestServer | undefined;
  let signerBrowser: Browser;
  let speakersBrowser: Browser;
  let event: EventDetails;
  let cast: StudioCast;
  let signer: Page;
  const speakers: Page[] = [];
  /** Program date-time (epoch ms) of the latest segment whose picture was checked: each check takes a newer one. */
  let checkedUpTo = 0;
  let pictures = 0;

  beforeAll(async () => {
    if (!existsSync(join(WEB_DIR, 'studio', 'index.html'))) {
      throw new Error('dist/studio/index.html is missing: run "npm run build:web" before this test');
    }
    [broadcast, signerBrowser, speakersBrowser] = await Promise.all([
      startBroadcastServer({ WEB_DIR, HLS_LADDER: '720' }),
      launchChromium({ cameraColour: hex(SIGNER_COLOUR) }),
      launchChromium({ cameraColour: hex(SPEAKER_COLOUR) }),
    ]);
    const moderatorApi = await Api.asModerator(broadcast.server.url);
    event = await moderatorApi.createEvent({ title: 'Budget 2026: signed' });
    cast = new StudioCast(broadcast.server.url, moderatorApi, event.slug);
    await moderatorApi.expectOk('POST', `/api/events/${event.slug}/start`);
  }, 60_000);

  afterAll(async () => {
    console.log(`${pictures} pictures checked, one after the other`);
    const messages = cast?.consoleMessages() ?? [];
    if (messages.length > 0) console.log(`browser console:\n${messages.join('\n')}`);
    await Promise.all([signerBrowser?.close(), speakersBrowser?.close()]);
    await broadcast?.close();
  });

  /** The first picture of the newest segment, one made after the last one checked. */
  async function nextPicture(): Promise<Buffer> {
    const hls = `${broadcast!.server.url}/hls/${event.slug}`;
    const segment = await newestSegment(`${hls}/v720.m3u8`, checkedUpTo);
    checkedUpTo = segment.programDateTime;
    pictures++;
    return decodeFrame(await downloadSegment(hls, segment, join(broadcast!.work, 'segment.mp4')));
  }

  /** What the studio hands the broadcast now (to explain a failure): each floor track and whether it is paused. */
  async function floorTracks() {
    const room = await broadcast!.server.app.get(StudioService).existingRoom(event.id);
    return (room?.tracks() ?? []).map(
      (track) => `${track.speakerName} ${track.kind}${track.producer.paused ? ' paused' : ''}`,
    );
  }

  /** The signer's picture fills their place, and no speaker's is in it. */
  const signerWhole = (frame: Buffer) => ({
    signer: colourShare(frame, SIGNER_INSIDE, SIGNER_COLOUR),
    speakerInSignersPlace: colourShare(frame, SIGNER_PLACE, SPEAKER_COLOUR),
  });

  /**
   * Checks the live picture, again and again, until it shows `count` speakers in their tiles, the signer
   * whole in every one of them; returns that picture.
   */
  async function untilSpeakers(count: number, what: string): Promise<Buffer> {
    const tiles = speakerTiles(count);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const frame = await nextPicture();
      const signerState = signerWhole(frame);
      expect({ what, signer: signerState.signer > 0.95, speakers: signerState.speakerInSignersPlace < 0.002 }).toEqual({
        what,
        signer: true,
        speakers: true,
      });
      const shown = tiles.map((tile) => colourShare(frame, inset(tile), SPEAKER_COLOUR));
      const elsewhere = shareOutside(frame, tiles, SPEAKER_COLOUR);
      if (shown.every((share) => share > 0.9) && elsewhere < 0.01) return frame;
      if (Date.now() > deadline) {
        await savePicture(frame, `signer-chromium-${count}-failed`, broadcast!.work);
        throw new Error(
          `${what}: tiles ${JSON.stringify(shown)}, elsewhere ${elsewhere} after 60 s; ` +
            `the studio's floor tracks: ${JSON.stringify(await floorTracks())}`,
        );
      }
    }
  }

  it('the signer joins with the camera only; alone, they are over the slate in their place', async () => {
    checkedUpTo = Date.now();
    signer = await cast.join(signerBrowser, 'Sigrid Signer', 'signer');
    await signer.getByText(/You sign: your camera has its own place in the broadcast/).waitFor();
    // The signer's first picture in the broadcast; from then on, every picture checked must show them.
    const deadline = Date.now() + 40_000;
    let frame = await nextPicture();
    while (signerWhole(frame).signer < 0.95 && Date.now() < deadline) frame = await nextPicture();
    await savePicture(frame, 'signer-chromium-0', broadcast!.work);
    const i = ((SIGNER_PLACE.y + 100) * 1280 + SIGNER_PLACE.x + 160) * 3;
    console.log(`signer's place shows ${[frame[i], frame[i + 1], frame[i + 2]].join(',')}`);
    expect(signerWhole(frame).signer).toBeGreaterThan(0.95);
    expect(signerWhole(frame).speakerInSignersPlace).toBe(0);
    // Only there: no orange anywhere left of the signer's place.
    expect(colourShare(frame, { x: 0, y: 0, width: SIGNER_PLACE.x - 8, height: 720 }, SIGNER_COLOUR)).toBeLessThan(
      0.01,
    );
  }, 120_000);

  it.each([
    [1, 1],
    [2, 1],
    [4, 2],
  ])(
    '%i speaker(s) on camera: they are drawn left of the signer, who stays whole in the same place',
    async (count, joining) => {
      const names = Array.from({ length: joining }, (_, i) => `Speaker ${speakers.length + i + 1}`);
      speakers.push(...(await Promise.all(names.map((name) => cast.join(speakersBrowser, name)))));
      expect(speakers).toHaveLength(count);
      const frame = await untilSpeakers(count, `${count} speaker(s)`);
      await savePicture(frame, `signer-chromium-${count}`, broadcast!.work);
      // The speakers' pictures stay left of the signer's place, and the signer's out of theirs.
      expect(colourShare(frame, { x: 0, y: 0, width: SIGNER_PLACE.x - 8, height: 720 }, SIGNER_COLOUR)).toBeLessThan(
        0.01,
      );
      expect(
        colourShare(
          frame,
          { x: SIGNER_PLACE.x, y: 0, width: SIGNER_PLACE.width, height: SIGNER_PLACE.y - 8 },
          SPEAKER_COLOUR,
        ),
      ).toBeLessThan(0.002);
      // The signer's page still publishes; nobody's page shows the signer as a tile.
      for (const page of speakers) expect(await page.getByRole('figure', { name: /Sigrid Signer/ }).count()).toBe(0);
    },
    240_000,
  );
});
