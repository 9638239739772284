import type { Logger } from '@nestjs/common';
import { isLanguageTag, subtitlesPlaylist, type CaptionCueView } from '@pressroom/protocol';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BroadcastPlaylist } from '../broadcast-playlist';
import type { HlsSegment } from '../hls-playlist';
import { writeFileAtomically } from '../overlay-text';
import { segmentStartSeconds, videoTrackOf } from './fmp4-time';
import { timedCue, webvttSegment, type TimedCue } from './webvtt';

/** A cue is kept this long after it ended (a segment written late still finds it). */
const CUE_KEEP_MS = 30_000;
const SUBTITLES_PLAYLIST_FILE = /^subs-(.+)\.m3u8$/;

/** `r12-subs-es-00003.vtt`: the WebVTT segment that goes with the video's `r12-v720-00003.m4s`. */
export const subtitlesSegmentName = (run: number, language: string, number: string) =>
  `r${run}-subs-${language}-${number}.vtt`;

/** A segment of the top video rendition, as the subtitles follow it. */
export interface VideoSegment extends HlsSegment {
  /** Its start on the video's media timeline (tfdt), seconds; absent when unreadable. */
  mediaSeconds?: number;
}

/** One caption language: its cues and its WebVTT media playlist (`subs-es.m3u8`). */
class SubtitleTrack {
  readonly #cues: TimedCue[] = [];
  /** Per run, the program date-time its cue times count from (its first segment here). */
  readonly #anchors = new Map<number, number>();
  #currentRun?: number;

  constructor(
    readonly language: string,
    readonly playlist: BroadcastPlaylist,
    private readonly dir: string,
  ) {}

  addCue(cue: TimedCue): void {
    if (this.#cues.some((known) => known.id === cue.id)) return;
    let at = this.#cues.length;
    while (at > 0 && this.#cues[at - 1]!.start > cue.start) at--;
    this.#cues.splice(at, 0, cue);
  }

  async addSegments(run: number, segments: readonly VideoSegment[]): Promise<void> {
    if (this.playlist.ended) return;
    const listed: HlsSegment[] = [];
    for (const segment of segments) {
      const number = /-(\d+)\.m4s$/.exec(segment.uri)?.[1];
      if (!number) continue;
      const from = segment.programDateTime ? Date.parse(segment.programDateTime) : NaN;
      const anchor = this.#anchors.get(run) ?? from;
      if (!this.#anchors.has(run) && Number.isFinite(from)) this.#anchors.set(run, from);
      const name = subtitlesSegmentName(run, this.language, number);
      const known = Number.isFinite(from) && segment.mediaSeconds !== undefined;
      const text = known
        ? webvttSegment({
            cues: this.#cues,
            from,
            to: from + segment.duration * 1000,
            anchor,
            mediaSeconds: segment.mediaSeconds!,
          })
        : 'WEBVTT\n';
      await writeFileAtomically(join(this.dir, name), text);
      listed.push({
        uri: name,
        duration: segment.duration,
        ...(segment.programDateTime ? { programDateTime: segment.programDateTime } : {}),
      });
      if (Number.isFinite(from)) this.#forgetBefore(from - CUE_KEEP_MS);
    }
    if (listed.length === 0) return;
    if (this.#currentRun !== run) {
      this.playlist.addRun(run, '');
      this.#currentRun = run;
    }
    this.playlist.addSegments(listed);
  }

  #forgetBefore(time: number): void {
    const count = this.#cues.findIndex((cue) => cue.end >= time);
    this.#cues.splice(0, count === -1 ? this.#cues.length : count);
  }
}

export interface CaptionRenditionsOptions {
  dir: string;
  windowSeconds?: number;
  /** The event has ended: playlists on disk stay closed. */
  keepEnded: boolean;
  logger: Logger;
  /** The languages with a playlist on disk changed: the multivariant playlist lists these. */
  onLanguages: (languages: string[]) => void;
}

/**
 * The broadcast's caption languages (issue 14): each a WebVTT subtitles rendition whose segments follow
 * the top video rendition's one for one (same durations, same program date-times: the same target
 * duration and window), each with `X-TIMESTAMP-MAP` tying it to the video's media time, the cues timed by
 * when their lines were sent against the video's program date-time. A language is listed (`onLanguages`)
 * once its playlist is on disk; it stays for the event. Work is done one step after the other.
 */
export class CaptionRenditions {
  readonly #options: CaptionRenditionsOptions;
  readonly #tracks = new Map<string, SubtitleTrack>();
  readonly #opening = new Map<string, Promise<SubtitleTrack | undefined>>();
  /** The video's init segment per run: its video track. */
  readonly #videoTracks = new Map<string, { trackId: number; timescale: number } | undefined>();
  #recordingFrom?: number;
  #listed = '';
  #work: Promise<void> = Promise.resolve();

  constructor(options: CaptionRenditionsOptions) {
    this.#options = options;
  }

  /** Picks up the languages a previous process of the broadcast had (their playlists on disk). */
  static async open(options: CaptionRenditionsOptions): Promise<CaptionRenditions> {
    const captions = new CaptionRenditions(options);
    const names = await readdir(options.dir).catch(() => [] as string[]);
    const languages = names.flatMap((name) => SUBTITLES_PLAYLIST_FILE.exec(name)?.[1] ?? []).filter(isLanguageTag);
    await Promise.all(languages.map((language) => captions.#track(language)));
    captions.#announce();
    return captions;
  }

  /** Languages listed in the multivariant playlist (their playlists exist). */
  get languages(): string[] {
    return [...this.#tracks.values()]
      .filter((t) => t.playlist.segmentCount > 0)
      .map((t) => t.language)
      .sort();
  }

  /** These languages get a rendition from the next segment on (a captioner invited in each, say). */
  addLanguages(languages: readonly string[]): Promise<void> {
    return this.#then(async () => {
      for (const language of languages) await this.#track(language);
    });
  }

  /** A caption line: shown from the segment that covers when it was sent. */
  addCue(cue: CaptionCueView): Promise<void> {
    return this.#then(async () => {
      (await this.#track(cue.language))?.addCue(timedCue(cue));
    });
  }

  /** The top video rendition listed these segments of `run` (init: its init segment's name). */
  videoSegments(run: number, init: string, segments: readonly HlsSegment[]): Promise<void> {
    return this.#then(async () => {
      if (this.#tracks.size === 0) return;
      const timed = await this.#timed(init, segments);
      for (const track of this.#tracks.values()) await track.addSegments(run, timed);
      await Promise.all([...this.#tracks.values()].map((track) => track.playlist.flush()));
      this.#announce();
    });
  }

  recordingStartsAt(at: number): void {
    this.#recordingFrom ??= at;
    for (const track of this.#tracks.values()) track.playlist.recordingStartsAt(at);
  }

  /** Closes every playlist (the recording's captions). */
  end(): Promise<void> {
    return this.#then(async () => {
      await Promise.all([...this.#tracks.values()].map((track) => track.playlist.end()));
    });
  }

  flush(): Promise<void> {
    return this.#then(async () => {
      await Promise.all([...this.#tracks.values()].map((track) => track.playlist.flush()));
    });
  }

  #then(step: () => Promise<void>): Promise<void> {
    const run = this.#work.then(step);
    this.#work = run.catch((error: unknown) =>
      this.#options.logger.warn(`captions: ${error instanceof Error ? error.message : String(error)}`),
    );
    return this.#work;
  }

  #announce(): void {
    const languages = this.languages;
    const key = languages.join(',');
    if (key === this.#listed) return;
    this.#listed = key;
    this.#options.onLanguages(languages);
  }

  async #track(language: string): Promise<SubtitleTrack | undefined> {
    if (!isLanguageTag(language)) return undefined;
    const known = this.#tracks.get(language);
    if (known) return known;
    let opening = this.#opening.get(language);
    if (!opening) {
      opening = (async () => {
        const playlist = await BroadcastPlaylist.open(
          this.#options.dir,
          this.#options.keepEnded,
          this.#options.logger,
          {
            name: subtitlesPlaylist(language),
            windowSeconds: this.#options.windowSeconds,
            keepForRecording: true,
          },
        );
        if (this.#recordingFrom !== undefined) playlist.recordingStartsAt(this.#recordingFrom);
        const track = new SubtitleTrack(language, playlist, this.#options.dir);
        this.#tracks.set(language, track);
        return track;
      })().finally(() => this.#opening.delete(language));
      this.#opening.set(language, opening);
    }
    return opening;
  }

  /** Each segment with its start on the video's media timeline, read from its tfdt. */
  async #timed(init: string, segments: readonly HlsSegment[]): Promise<VideoSegment[]> {
    const { dir } = this.#options;
    if (!this.#videoTracks.has(init)) {
      const track = await readFile(join(dir, init))
        .then(videoTrackOf)
        .catch(() => undefined);
      if (this.#videoTracks.size > 16) this.#videoTracks.clear();
      this.#videoTracks.set(init, track);
    }
    const track = this.#videoTracks.get(init);
    return Promise.all(
      segments.map(async (segment) => {
        if (!track) return segment;
        const data = await readFile(join(dir, segment.uri)).catch(() => undefined);
        const mediaSeconds = data ? segmentStartSeconds(data, track) : undefined;
        return mediaSeconds === undefined ? segment : { ...segment, mediaSeconds };
      }),
    );
  }
}
