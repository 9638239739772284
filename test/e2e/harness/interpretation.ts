import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BroadcastService } from '../../../apps/api/src/broadcast/broadcast.service';
import { WorkerPool } from '../../../apps/api/src/media/worker-pool';
import type { PressConference } from './press-conference';
import { FakeStudioInput, RTP_SOURCE_CODECS, startRtpSource, type RtpSource } from './rtp-source';
import type { TestServer } from './server';

const run = promisify(execFile);

/** The speaker's tone (the floor) and the interpreter's (the voice), Hz: each measured on its own. */
export const FLOOR_HZ = 440;
export const VOICE_HZ = 1_000;

/**
 * The mean level (dB) of one tone in one audio stream of a file (`stream`: the nth audio stream, the first
 * by default): a narrow band-pass around it, then volumedetect.
 */
export async function toneLevel(file: string, hz: number, stream = 0): Promise<number> {
  const { stderr } = await run('ffmpeg', [
    '-hide_banner',
    '-nostats',
    '-i',
    file,
    '-map',
    `0:a:${stream}`,
    '-af',
    `bandpass=f=${hz}:width_type=q:w=8,bandpass=f=${hz}:width_type=q:w=8,volumedetect`,
    '-f',
    'null',
    '-',
  ]);
  const mean = /mean_volume: (-?[\d.]+|-inf) dB/.exec(stderr)?.[1];
  if (mean === undefined) throw new Error(`no level in:\n${stderr}`);
  return mean === '-inf' ? -120 : Number(mean);
}

/**
 * An interpreted event on air: an interpreter invited into `language`, the event started, and two synthetic
 * sources in its studio (small pictures): the speaker sounding FLOOR_HZ, the interpreter VOICE_HZ. Close
 * the sources at the end.
 */
export async function interpretedOnAir(
  server: TestServer,
  room: PressConference,
  language = 'fr',
): Promise<{ speaker: RtpSource; interpreter: RtpSource }> {
  const invited = await room.moderatorApi.request('POST', `/api/events/${room.event.slug}/speakers`, {
    name: 'Ines Interpreter',
    role: 'interpreter',
    language,
  });
  if (invited.status !== 201) throw new Error(`inviting the interpreter: ${invited.status}`);
  await room.moderatorApi.expectOk('POST', `/api/events/${room.event.slug}/start`);
  const router = await server.app.get(WorkerPool).next().createRouter({ mediaCodecs: RTP_SOURCE_CODECS });
  const studio = new FakeStudioInput(router);
  server.app.get(BroadcastService).attachInput(room.event.id, studio);
  const small = { width: 320, height: 180, fps: 15 };
  const speaker = await startRtpSource(router, { ...small, toneHz: FLOOR_HZ });
  const interpreter = await startRtpSource(router, { ...small, toneHz: VOICE_HZ }).catch(async (error) => {
    await speaker.close();
    throw error;
  });
  studio.setTracks([speaker.track('video', 'Minister Ruiz'), speaker.track('audio', 'Minister Ruiz')]);
  studio.setCrewTracks([{ ...interpreter.track('audio', 'Ines Interpreter'), role: 'interpreter', language }]);
  return { speaker, interpreter };
}
