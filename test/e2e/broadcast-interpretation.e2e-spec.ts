import { join } from 'node:path';
import * as HLS from 'hls-parser';
import { Parser as M3u8Parser } from 'm3u8-parser';
import { startBroadcastServer, type BroadcastTestServer } from './harness/broadcast-server';
import { FLOOR_HZ, interpretedOnAir, toneLevel, VOICE_HZ } from './harness/interpretation';
import { downloadRun, fetchAgain, parsePlaylist, waitFor } from './harness/media';
import { openPressConference, type PressConference } from './harness/press-conference';
import type { RtpSource } from './harness/rtp-source';

jest.setTimeout(90_000);

describe('interpretation: each interpreter language is an alternate audio rendition, the floor ducked under the voice', () => {
  let broadcast: BroadcastTestServer | undefined;
  let room: PressConference;
  const sources: RtpSource[] = [];
  let base: string;

  beforeAll(async () => {
    broadcast = await startBroadcastServer({ HLS_LADDER: '720' });
    room = await openPressConference(broadcast.server, { title: 'Budget 2026: interpreted' });
    base = `${broadcast.server.url}/hls/${room.event.slug}`;
    const { speaker, interpreter } = await interpretedOnAir(broadcast.server, room, 'fr');
    sources.push(speaker, interpreter);
  }, 60_000);

  afterAll(async () => {
    room?.close();
    await Promise.all(sources.map((source) => source.close()));
    await broadcast?.close();
  });

  it('index.m3u8 lists the floor (default, in the variants) and French (audio-fr.m3u8); both parsers read it without a warning', async () => {
    const manifest = await waitFor(async () => {
      const response = await fetchAgain(`${base}/index.m3u8`);
      const text = await response.text();
      return text.includes('#EXT-X-STREAM-INF') ? text : undefined;
    }, 30_000);
    const warnings: unknown[] = [];
    const parser = new M3u8Parser();
    parser.on('warn', (warning: unknown) => warnings.push(warning));
    parser.push(manifest);
    parser.end();
    expect(warnings).toEqual([]);
    type Group = Record<string, { uri?: string; language?: string; default?: boolean }>;
    const audio = (parser.manifest as { mediaGroups?: Record<string, Record<string, Group>> }).mediaGroups?.AUDIO?.aud;
    expect(audio).toEqual({
      Floor: expect.objectContaining({ default: true, autoselect: true }),
      Français: expect.objectContaining({ language: 'fr', default: false, uri: 'audio-fr.m3u8' }),
    });
    expect(audio!.Floor!.uri).toBeUndefined();

    HLS.setOptions({ strictMode: true });
    const errors = jest.spyOn(console, 'error');
    const warns = jest.spyOn(console, 'warn');
    try {
      const parsed = HLS.parse(manifest) as HLS.types.MasterPlaylist;
      expect(parsed.variants[0]!.audio.map((a) => [a.name, a.language, a.isDefault, a.uri])).toEqual([
        ['Floor', undefined, true, undefined],
        ['Français', 'fr', false, 'audio-fr.m3u8'],
      ]);
      expect(errors).not.toHaveBeenCalled();
      expect(warns).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
      warns.mockRestore();
      HLS.setOptions({ strictMode: false });
    }
  });

  it("the French rendition carries the interpreter's tone over the floor's, lowered; the floor's rendition only the floor", async () => {
    const last = async (name: string) =>
      waitFor(async () => {
        const playlist = parsePlaylist(await (await fetchAgain(`${base}/${name}`)).text());
        // Three seconds of the program, after the first seconds (the feeds starting).
        return playlist.segments.length >= 16 ? playlist.segments.slice(-8, -2) : undefined;
      }, 40_000);
    const [french, floor] = await Promise.all([last('audio-fr.m3u8'), last('audio.m3u8')]);
    expect(french.map((s) => s.programDateTime)).toEqual(floor.map((s) => s.programDateTime));
    const frenchFile = await downloadRun(base, french, join(broadcast!.work, 'fr.mp4'));
    const floorFile = await downloadRun(base, floor, join(broadcast!.work, 'floor.mp4'));
    const levels = {
      floor: { floor: await toneLevel(floorFile, FLOOR_HZ), voice: await toneLevel(floorFile, VOICE_HZ) },
      french: { floor: await toneLevel(frenchFile, FLOOR_HZ), voice: await toneLevel(frenchFile, VOICE_HZ) },
    };
    console.log(`tone levels (dB): ${JSON.stringify(levels)}`);
    // The floor's rendition: the speaker, and nothing of the interpreter.
    expect(levels.floor.floor).toBeGreaterThan(-35);
    expect(levels.floor.voice).toBeLessThan(levels.floor.floor - 30);
    // French: the interpreter loud, the speaker under them by at least 10 dB (ducked), yet still there.
    expect(levels.french.voice).toBeGreaterThan(-35);
    expect(levels.french.floor).toBeLessThan(levels.floor.floor - 10);
    expect(levels.french.floor).toBeGreaterThan(-90);
  });
});
