import { join } from 'node:path';
import { Api } from './harness/api';
import { startBroadcastServer, type BroadcastTestServer } from './harness/broadcast-server';
import { mediaPlaylistOf } from './harness/hls';
import { decodeFrame, downloadSegment, HEIGHT, savePicture, waitFor, WIDTH, type Segment } from './harness/media';
import type { TestServer } from './harness/server';

jest.setTimeout(60_000);

/** 5 % of the picture's width: a title's text keeps out of it on both sides. */
const MARGIN = Math.round(WIDTH * 0.05);
/** The status line is drawn from y = h/2+30 (slate-render.ts, composite-command.ts). */
const STATUS_TOP = HEIGHT / 2 + 30;

/** Text is white (the title) or light grey (the status) on the dark background. */
function isInk(picture: Buffer, x: number, y: number): boolean {
  const i = (y * WIDTH + x) * 3;
  return picture[i]! + picture[i + 1]! + picture[i + 2]! > 3 * 110;
}

/** Where a slate's text is: ink pixels in the side margins, and the bands of rows that hold ink (its lines). */
function textOf(picture: Buffer) {
  let inMargins = 0;
  const inkRows: boolean[] = [];
  for (let y = 0; y < HEIGHT; y++) {
    let row = 0;
    for (let x = 0; x < WIDTH; x++) {
      if (!isInk(picture, x, y)) continue;
      row++;
      if (x < MARGIN || x >= WIDTH - MARGIN) inMargins++;
    }
    inkRows.push(row > 0);
  }
  const bands: Array<{ top: number; bottom: number }> = [];
  inkRows.forEach((ink, y) => {
    const last = bands.at(-1);
    if (ink && last && last.bottom === y - 1) last.bottom = y;
    else if (ink) bands.push({ top: y, bottom: y });
  });
  return { inMargins, bands };
}

/** The title's lines: each above the status line, none touching it, each a line's height. */
function expectWrappedTitle(picture: Buffer, lines: number): void {
  const { inMargins, bands } = textOf(picture);
  expect(inMargins).toBe(0);
  const status = bands.filter((band) => band.bottom >= STATUS_TOP - 4);
  const title = bands.filter((band) => band.bottom < STATUS_TOP - 4);
  expect(status).toHaveLength(1);
  expect(status[0]!.top).toBeGreaterThanOrEqual(STATUS_TOP - 4);
  expect(title).toHaveLength(lines);
  for (const band of title) expect(band.bottom - band.top).toBeGreaterThan(20);
}

describe('a long event title on the slates: wrapped, inside the picture', () => {
  let broadcast: BroadcastTestServer;
  let server: TestServer;
  let moderator: Api;

  beforeAll(async () => {
    broadcast = await startBroadcastServer();
    server = broadcast.server;
    moderator = await Api.asModerator(server.url);
  });

  afterAll(async () => {
    await broadcast?.close();
  });

  const frameOf = async (slug: string, segment: Segment) =>
    decodeFrame(
      await downloadSegment(`${server.url}/hls/${slug}`, segment, join(broadcast.work, `${slug}-${segment.uri}.mp4`)),
    );

  it('the "starting soon" loop of a scheduled event: three centred lines, clear of both sides', async () => {
    // 88 characters with accents: one line of it at 48 px would be ~2500 px wide.
    const title = 'Rueda de prensa posterior al Consejo de Ministros: presupuestos generales del Estado 2027';
    const { slug } = await moderator.createEvent({ title: title.replace('Estado', 'Estado — Ñúñez y Gómez-Álvarez') });
    // As a player does: ask again until the loop is rendered.
    const playlist = await waitFor(
      () => mediaPlaylistOf(`${server.url}/hls/${slug}`).catch(() => undefined),
      30_000,
      250,
    );
    expect(playlist.segments[0]!.uri).toMatch(/^s[0-9a-f]{16}-\d{5}\.m4s$/);
    const picture = await frameOf(slug, playlist.segments[0]!);
    await savePicture(picture, 'slate-long-title', broadcast.work);
    expectWrappedTitle(picture, 3);
  });

  it('the composite\'s own slate of a live event ("waiting for speakers"): the same, and it follows a rename', async () => {
    const { slug } = await moderator.createEvent({
      title: 'Comparecencia del ministro de Economía sobre la reforma fiscal española',
    });
    await moderator.expectOk('POST', `/api/events/${slug}/start`);
    try {
      // The composite's segments (r<run>-v720-…), once it is on air.
      const segment = await waitFor(
        async () =>
          (await mediaPlaylistOf(`${server.url}/hls/${slug}`).catch(() => undefined))?.segments.find((s) =>
            /^r\d+-v720-\d+\.m4s$/.test(s.uri),
          ),
        30_000,
        250,
      );
      const picture = await frameOf(slug, segment);
      await savePicture(picture, 'slate-long-title-live', broadcast.work);
      expectWrappedTitle(picture, 2);

      // The moderators shorten the title while it is live: the running broadcast's slate follows (one line).
      await moderator.expectOk('PATCH', `/api/events/${slug}`, { title: 'Comparecencia del ministro' });
      const renamedAt = Date.now();
      let lines = 2;
      const renamed = await waitFor(
        async () => {
          const newest = (await mediaPlaylistOf(`${server.url}/hls/${slug}`)).segments.at(-1)!;
          if (newest.programDateTime < renamedAt + 1_000) return undefined;
          const frame = await frameOf(slug, newest);
          lines = textOf(frame).bands.filter((band) => band.bottom < STATUS_TOP - 4).length;
          return lines === 1 ? frame : undefined;
        },
        20_000,
        500,
      ).catch(() => undefined);
      expect({ titleLinesAfterTheRename: lines }).toEqual({ titleLinesAfterTheRename: 1 });
      expectWrappedTitle(renamed!, 1);
    } finally {
      await moderator.expectOk('POST', `/api/events/${slug}/end`);
    }
  });
});
