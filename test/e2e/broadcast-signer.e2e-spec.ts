import { join } from 'node:path';
import type { QuestionView } from '@pressroom/protocol';
import type { types } from 'mediasoup';
import { BroadcastService } from '../../apps/api/src/broadcast/broadcast.service';
import { SIGNER_BOX } from '../../apps/api/src/broadcast/continuous/composite-command';
import { WorkerPool } from '../../apps/api/src/media/worker-pool';
import type { StudioTrack } from '../../apps/api/src/media/studio-track';
import { startBroadcastServer, type BroadcastTestServer } from './harness/broadcast-server';
import { pictureFrom, savePicture, type Region } from './harness/media';
import { colourShare } from './harness/pictures';
import { openPressConference, type PressConference } from './harness/press-conference';
import { videoShare } from './harness/program';
import { FakeStudioInput, RTP_SOURCE_CODECS, startRtpSource, type RtpSource } from './harness/rtp-source';

/** The signer's camera: one orange, a colour testsrc (the speakers) does not have. */
const SIGNER_COLOUR = [0xff, 0x80, 0x00] as const;
/** The signer's box without its name's caption (its bottom 50 px) and a few pixels of edge. */
const SIGNER_INSIDE: Region = {
  x: SIGNER_BOX.x + 6,
  y: SIGNER_BOX.y + 6,
  width: SIGNER_BOX.width - 12,
  height: SIGNER_BOX.height - 60,
};
/** Right of the speakers' layout and above the signer: nothing is drawn there. */
const ABOVE_SIGNER: Region = { x: 944, y: 20, width: 320, height: 300 };
/** Where the speakers are, left of the signer (PROGRAM_BESIDE_SIGNER: 928x522 from y 98). */
const SPEAKER_SPOTS = {
  leftMiddle: { x: 100, y: 250, width: 300, height: 100 },
  rightMiddle: { x: 560, y: 250, width: 300, height: 100 },
  rightBottom: { x: 560, y: 400, width: 300, height: 60 },
  leftTop: { x: 100, y: 120, width: 300, height: 80 },
} satisfies Record<string, Region>;

describe('the signer: always in the broadcast, in a fixed place nothing covers, with 1, 2 and 4 speakers', () => {
  let broadcast: BroadcastTestServer | undefined;
  let room: PressConference;
  let router: types.Router;
  let studio: FakeStudioInput;
  const sources: RtpSource[] = [];
  let speakers: StudioTrack[][] = [];
  let base: string;

  beforeAll(async () => {
    broadcast = await startBroadcastServer({ HLS_LADDER: '720' });
    room = await openPressConference(broadcast.server, { title: 'Budget 2026: signed' });
    base = `${broadcast.server.url}/hls/${room.event.slug}`;
    await room.moderatorApi.expectOk('POST', `/api/events/${room.event.slug}/start`);
    router = await broadcast.server.app.get(WorkerPool).next().createRouter({ mediaCodecs: RTP_SOURCE_CODECS });
    studio = new FakeStudioInput(router);
    broadcast.server.app.get(BroadcastService).attachInput(room.event.id, studio);
    const small = { width: 320, height: 180, fps: 15 };
    for (let i = 0; i < 4; i++) sources.push(await startRtpSource(router, small));
    speakers = sources.map((source, i) => [
      source.track('video', `Speaker ${i + 1}`),
      source.track('audio', `Speaker ${i + 1}`),
    ]);
    const signer = await startRtpSource(router, { ...small, colour: '0xff8000', audio: false });
    sources.push(signer);
    studio.setCrewTracks([{ ...signer.track('video', 'Sigrid Signer'), role: 'signer' }]);
  }, 60_000);

  afterAll(async () => {
    room?.close();
    await Promise.all(sources.map((source) => source.close()));
    await broadcast?.close();
  });

  /** The first picture of the first segment made at least 2.5 s after `at`. */
  const pictureAfter = (at: number) =>
    pictureFrom(`${base}/v720.m3u8`, at + 2_500, join(broadcast!.work, 'segment.mp4'));

  const expectSignerAlone = (frame: Buffer) => {
    expect(colourShare(frame, SIGNER_INSIDE, SIGNER_COLOUR)).toBeGreaterThan(0.95);
    expect(videoShare(frame, ABOVE_SIGNER)).toBeLessThan(0.02);
  };

  it('with nobody else on camera: the signer in the bottom right, over the slate', async () => {
    // From the composite's start (go-live), once the signer's first picture is in.
    let frame = await pictureAfter(Date.now());
    const deadline = Date.now() + 20_000;
    while (colourShare(frame, SIGNER_INSIDE, SIGNER_COLOUR) < 0.95 && Date.now() < deadline) {
      frame = await pictureAfter(Date.now() - 2_000);
    }
    expectSignerAlone(frame);
    expect(colourShare(frame, { x: 0, y: 0, width: 900, height: 720 }, SIGNER_COLOUR)).toBeLessThan(0.01);
  }, 60_000);

  it.each([
    [1, ['leftMiddle', 'rightMiddle', 'leftTop']],
    [2, ['leftMiddle', 'rightMiddle']],
    [4, ['leftTop', 'rightBottom']],
  ] as const)(
    '%i speaker(s): the speakers left of the signer, the signer whole',
    async (count, spots) => {
      const changedAt = Date.now();
      studio.setTracks(speakers.slice(0, count).flat());
      const frame = await pictureAfter(changedAt);
      await savePicture(frame, `signer-${count}`, broadcast!.work);
      expectSignerAlone(frame);
      for (const spot of spots) expect(videoShare(frame, SPEAKER_SPOTS[spot])).toBeGreaterThan(0.5);
      // No speaker's picture under the signer: only orange there (testsrc has none).
      expect(colourShare(frame, { x: 0, y: 0, width: 900, height: 720 }, SIGNER_COLOUR)).toBeLessThan(0.01);
    },
    60_000,
  );

  it('a question on air: the lower third keeps left of the signer, who stays on top', async () => {
    const pending = room.moderator.next('question:pending');
    const text =
      'Minister, will the budget for schools and hospitals grow as fast as the budget for defence next year, ' +
      'and who decided it?';
    expect((await room.journalist.send('question:ask', { text })).ok).toBe(true);
    const question: QuestionView = await pending;
    expect(await room.moderator.send('question:approve', { questionId: question.id })).toEqual({ ok: true });
    const onAirAt = Date.now();
    expect(await room.moderator.send('question:onAir', { questionId: question.id })).toEqual({ ok: true });
    const frame = await pictureAfter(onAirAt);
    await savePicture(frame, 'signer-lower-third', broadcast!.work);
    expectSignerAlone(frame);
    // The lower third's boxes (blue heading, dark body) are there, left of the signer.
    const band = { x: 60, y: 545, width: 700, height: 100 };
    expect(colourShare(frame, band, [0x1d, 0x4e, 0xd8]) + colourShare(frame, band, [0, 0, 0])).toBeGreaterThan(0.2);
  }, 60_000);
});
