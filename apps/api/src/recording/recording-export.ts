import { once } from 'node:events';
import { rename, rm, writeFile } from 'node:fs/promises';
import { setPriority } from 'node:os';
import { basename, join } from 'node:path';
import { FfmpegProcess } from '../broadcast/ffmpeg-process';
import { HlsPlaylist, type HlsRun, type ParsedPlaylist } from '../broadcast/hls-playlist';
import {
  recordingJoinArgs,
  recordingRemuxArgs,
  type RecordingAudioTrack,
  type RecordingRunAudio,
  type RecordingSubtitle,
} from './recording-ffmpeg';

/** The recording's file in the event's directory, beside its HLS: the purge deletes both. */
export const RECORDING_FILE = 'recording.mp4';

/** Below the live broadcasts, which must not wait for a recording. */
const NICENESS = 10;

/**
 * The segments of the broadcast made while the event was live, by their program date-time: from the one
 * whose middle is at or after the start (a part can only begin at a segment's keyframe) to the one the end
 * falls in (the remux cuts it at the end: `RecordingExportOptions.endsAt`). The broadcast's one run starts
 * on the "starting soon" slate and ends on the "ended" slate (a run replacing a failed one starts wherever
 * the failure was).
 */
export function liveSegments(playlist: ParsedPlaylist, startedAt: Date, endedAt: Date): HlsRun[] {
  const from = startedAt.getTime();
  const to = endedAt.getTime();
  return playlist.runs
    .map((run) => ({
      ...run,
      segments: run.segments.filter((segment) => {
        const at = segment.programDateTime ? Date.parse(segment.programDateTime) : Number.NaN;
        const middle = at + (segment.duration * 1000) / 2;
        return middle >= from && at < to;
      }),
    }))
    .filter((run) => run.segments.length > 0);
}

export const durationOf = (runs: readonly HlsRun[]): number =>
  runs.reduce((total, run) => total + run.segments.reduce((sum, segment) => sum + segment.duration, 0), 0);

/** What a recording of `runs` cut at `endsAt` (epoch ms, as the remux does) lasts, seconds. */
export function durationUntil(runs: readonly HlsRun[], endsAt: number): number {
  const last = runs[runs.length - 1]?.segments.at(-1);
  const lastEnd = last?.programDateTime ? Date.parse(last.programDateTime) + last.duration * 1000 : endsAt;
  return Math.max(0, durationOf(runs) - Math.max(0, lastEnd - endsAt) / 1000);
}

export interface RecordingExportOptions {
  /** The event's broadcast directory: FFmpeg's cwd, where the MP4 goes. */
  dir: string;
  runs: readonly HlsRun[];
  ffmpegPath: string;
  /** Where the recording ends (epoch ms); the part it falls in is cut there. */
  endsAt?: number;
  /**
   * One WebVTT file per caption language (timed against the recording): kept beside the MP4 under `file` (a
   * name in `dir`) and embedded in it as a subtitle stream, in this order.
   */
  captions?: readonly RecordingCaptions[];
  /**
   * One audio track per interpretation language, after the floor's (the default), in this order: its
   * rendition's runs (all of them: each of `runs` takes the segments of the same run and program date-times).
   */
  interpretations?: readonly RecordingInterpretation[];
}

export interface RecordingInterpretation extends RecordingAudioTrack {
  runs: readonly HlsRun[];
}

export interface RecordingCaptions {
  file: string;
  mp4Language: string;
  webVtt: string;
}

/**
 * Makes an event's recording, one MP4 with faststart, from runs of its broadcast without encoding again:
 * the runs share one profile (one composite per event, the same settings after a restart), so each is
 * remuxed into a part (one FFmpeg at a time, at a low priority), then the parts are joined with the caption
 * languages' subtitle streams. The MP4 takes its name only once complete; `cancel()` stops the work (the purge).
 */
export class RecordingExport {
  /** Resolves once the MP4 is there; rejects when FFmpeg fails or the export is cancelled. */
  readonly done: Promise<void>;
  readonly #options: RecordingExportOptions;
  #process?: FfmpegProcess;
  #cancelled = false;

  constructor(options: RecordingExportOptions) {
    this.#options = options;
    this.done = this.#make();
  }

  async cancel(): Promise<void> {
    this.#cancelled = true;
    await this.#process?.kill();
    await this.done.catch(() => undefined);
  }

  async #make(): Promise<void> {
    const { dir, runs } = this.#options;
    const temporary: string[] = [];
    try {
      const parts: string[] = [];
      for (const [index, run] of runs.entries()) {
        const playlist = `work/recording-${index}.m3u8`;
        const part = `work/recording-${index}.mp4`;
        temporary.push(playlist, part);
        await writeFile(join(dir, playlist), playlistOf(run));
        const audio: RecordingRunAudio[] = [];
        for (const [track, interpretation] of (this.#options.interpretations ?? []).entries()) {
          const same = sameSegments(run, interpretation.runs);
          if (!same) {
            audio.push({ silenceSeconds: durationOf([run]) });
            continue;
          }
          const file = `work/recording-${index}-a${track + 1}.m3u8`;
          temporary.push(file);
          await writeFile(join(dir, file), playlistOf(same));
          audio.push({ playlist: file });
        }
        await this.#ffmpeg(recordingRemuxArgs(playlist, part, secondsUntil(run, this.#options.endsAt), audio));
        parts.push(part);
      }
      const list = 'work/recording-parts.txt';
      const joined = 'work/recording.mp4';
      temporary.push(list, joined);
      // The list's paths are relative to the list.
      await writeFile(
        join(dir, list),
        ['ffconcat version 1.0', ...parts.map((p) => `file '${basename(p)}'`)].join('\n'),
      );
      const subtitles: RecordingSubtitle[] = [];
      for (const captions of this.#options.captions ?? []) {
        const file = `work/${captions.file}`;
        temporary.push(file);
        await writeFile(join(dir, file), captions.webVtt);
        subtitles.push({ file, mp4Language: captions.mp4Language });
      }
      const tracks = (this.#options.interpretations ?? []).map(({ mp4Language, title }) => ({ mp4Language, title }));
      await this.#ffmpeg(recordingJoinArgs(list, joined, subtitles, tracks));
      // The captions first: once the MP4 is there, the recording is ready with all its files.
      for (const captions of this.#options.captions ?? []) {
        await rename(join(dir, `work/${captions.file}`), join(dir, captions.file));
      }
      await rename(join(dir, joined), join(dir, RECORDING_FILE));
    } finally {
      await Promise.all(temporary.map((file) => rm(join(dir, file), { force: true })));
    }
  }

  async #ffmpeg(args: string[]): Promise<void> {
    if (this.#cancelled) throw new Error('cancelled');
    const process = FfmpegProcess.spawn(this.#options.ffmpegPath, args, this.#options.dir);
    this.#process = process;
    try {
      if (process.pid) setPriority(process.pid, NICENESS);
    } catch {
      // not allowed here: it runs at the normal priority
    }
    const [code, signal] = (await once(process, 'exit')) as [number | null, NodeJS.Signals | null];
    if (this.#cancelled) throw new Error('cancelled');
    if (code !== 0) throw new Error(`FFmpeg ended with ${code ?? signal}: ${process.stderrTail || 'no message'}`);
  }
}

/** How long a run may last to end at `endsAt`; undefined: all of it. */
function secondsUntil(run: HlsRun, endsAt: number | undefined): number | undefined {
  const first = run.segments[0]?.programDateTime;
  if (endsAt === undefined || !first) return undefined;
  const seconds = (endsAt - Date.parse(first)) / 1000;
  return seconds < durationOf([run]) ? seconds : undefined;
}

/**
 * The segments of another rendition made with `run` (one muxer: the same run number), over the same time:
 * those whose middle falls from its first segment's program date-time to its last one's end (an audio
 * rendition cuts its segments a few milliseconds off the video's, at an AAC frame). Undefined when it has
 * none of them (a language added after that run started).
 */
export function sameSegments(run: HlsRun, runs: readonly HlsRun[]): HlsRun | undefined {
  const other = runs.find((candidate) => candidate.id === run.id);
  const first = run.segments[0];
  const last = run.segments.at(-1);
  if (!other || !first?.programDateTime || !last?.programDateTime) return other;
  const from = Date.parse(first.programDateTime);
  const to = Date.parse(last.programDateTime) + last.duration * 1000;
  const segments = other.segments.filter((segment) => {
    const at = segment.programDateTime ? Date.parse(segment.programDateTime) : Number.NaN;
    const middle = at + (segment.duration * 1000) / 2;
    return middle >= from && middle < to;
  });
  return segments.length > 0 ? { ...other, segments } : undefined;
}

/** One run as a playlist in the work directory, for FFmpeg's HLS reader. */
function playlistOf(run: HlsRun): string {
  const up = (name: string) => `../${name}`;
  const segments = run.segments.map((segment) => ({ ...segment, uri: up(segment.uri) }));
  return new HlsPlaylist({ runs: [{ ...run, init: up(run.init), segments }], ended: true }).render();
}
