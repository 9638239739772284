import {
  AUDIO_ONLY_KBPS,
  AUDIO_ONLY_PLAYLIST,
  AUDIO_ONLY_RENDITION,
  languageName,
  SUBTITLES_GROUP,
  subtitlesPlaylist,
  type VideoRendition,
} from '@pressroom/protocol';
import { writeFileAtomically } from '../overlay-text';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HLS_PLAYLIST, hlsFileKind } from '../hls-files';
import { PROGRAM_FPS } from '../ffmpeg-command';

/**
 * The renditions one composite makes (issue 10): the composite is decoded and drawn once, then `split`,
 * scaled and encoded per video rendition, and its sound encoded once more for the audio-only rendition;
 * ONE HLS muxer (`-var_stream_map`) writes them all, so every rendition's segments start on the same
 * frame and carry the same program date-times. Each rendition has its own public media playlist
 * (`v720.m3u8`, `audio.m3u8`: one BroadcastPlaylist each); `index.m3u8` lists them.
 */
export type RenditionName = VideoRendition['name'] | typeof AUDIO_ONLY_RENDITION | `audio-${string}`;

/** An interpretation language's audio rendition (issue 14): `audio-fr` (its playlist `audio-fr.m3u8`). */
export const interpretationRendition = (language: string): `audio-${string}` => `audio-${language}`;
/** Whether a rendition is an interpretation language's (kept whole, like the audio-only one). */
export const isInterpretationRendition = (name: RenditionName): boolean => name.startsWith(`${AUDIO_ONLY_RENDITION}-`);
/** The group of alternate audio renditions the video variants name: the floor (in them) and each interpretation. */
export const AUDIO_GROUP = 'aud';

/** The ladder an install makes: its video renditions (highest first) and always the audio-only one. */
export type Ladder = readonly VideoRendition[];

/** H.264 High at level 3.1 (`-level:v 3.1` for every rendition) and AAC-LC. */
export const VIDEO_CODECS = 'avc1.64001f,mp4a.40.2';
export const AUDIO_CODECS = 'mp4a.40.2';
/** The x264 level that VIDEO_CODECS declares. */
export const H264_LEVEL = '3.1';

/** fMP4 boxes and the playlist's own bits over the encoders' rates. */
const CONTAINER_OVERHEAD = 1.06;
const AUDIO_ONLY_OVERHEAD = 1.2;
/**
 * The peak segment over the average: the encoder's buffer (`-bufsize`) holds one second of the rate, so
 * a one-second segment with a keyframe can carry up to about this much more than the average.
 */
const PEAK_OVER_AVERAGE = 1.35;

export const renditionNames = (ladder: Ladder, interpretations: readonly string[] = []): RenditionName[] => [
  ...ladder.map((rendition) => rendition.name),
  AUDIO_ONLY_RENDITION,
  ...interpretations.map(interpretationRendition),
];

/** The public media playlist of a rendition: `v720.m3u8`, `audio.m3u8`. */
export const renditionPlaylist = (name: RenditionName): string =>
  name === AUDIO_ONLY_RENDITION ? AUDIO_ONLY_PLAYLIST : `${name}.m3u8`;

/** Every file of a rendition in run 12: `r12-v720-init.mp4`, `r12-v720-00003.m4s`, FFmpeg's `r12-v720.m3u8`. */
export const renditionFileName = {
  playlist: (run: number, name: RenditionName) => `r${run}-${name}.m3u8`,
  init: (run: number, name: RenditionName) => `r${run}-${name}-init.mp4`,
};

/**
 * The multivariant playlist (`index.m3u8`): the video renditions highest first (the recording is made
 * from the first), then the audio-only one. Rates in bits per second (RFC 8216 §4.3.4.2).
 */
export function multivariantPlaylist(
  ladder: Ladder,
  media: { subtitles?: readonly string[]; interpretations?: readonly string[] } = {},
): string {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-INDEPENDENT-SEGMENTS'];
  // Each interpretation language: an alternate audio rendition; the floor's sound (in the variants) is the default.
  const interpretations = media.interpretations ?? [];
  if (interpretations.length > 0) {
    lines.push(`#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="${AUDIO_GROUP}",NAME="Floor",DEFAULT=YES,AUTOSELECT=YES`);
    for (const language of interpretations) {
      lines.push(
        `#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="${AUDIO_GROUP}",LANGUAGE="${language}",` +
          `NAME="${languageName(language).replace(/"/g, "'")}",DEFAULT=NO,AUTOSELECT=YES,` +
          `URI="${renditionPlaylist(interpretationRendition(language))}"`,
      );
    }
  }
  // Each caption language: a WebVTT rendition (captions/caption-renditions.ts), off until the viewer turns it on.
  const subtitles = media.subtitles ?? [];
  const names = new Set<string>();
  for (const language of subtitles) {
    let name = languageName(language);
    if (names.has(name)) name = `${name} (${language})`;
    names.add(name);
    lines.push(
      `#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="${SUBTITLES_GROUP}",LANGUAGE="${language}",NAME="${name.replace(/"/g, "'")}",` +
        `DEFAULT=NO,AUTOSELECT=YES,FORCED=NO,URI="${subtitlesPlaylist(language)}"`,
    );
  }
  const groups = subtitles.length > 0 ? `,SUBTITLES="${SUBTITLES_GROUP}"` : '';
  const audioGroup = interpretations.length > 0 ? `,AUDIO="${AUDIO_GROUP}"` : '';
  for (const rendition of ladder) {
    const average = Math.round((rendition.videoKbps + rendition.audioKbps) * CONTAINER_OVERHEAD * 1000);
    const peak = Math.round(
      (rendition.videoKbps * PEAK_OVER_AVERAGE + rendition.audioKbps) * CONTAINER_OVERHEAD * 1000,
    );
    lines.push(
      `#EXT-X-STREAM-INF:BANDWIDTH=${peak},AVERAGE-BANDWIDTH=${average},CODECS="${VIDEO_CODECS}",` +
        `RESOLUTION=${rendition.width}x${rendition.height},FRAME-RATE=${PROGRAM_FPS.toFixed(3)}${audioGroup}${groups}`,
      renditionPlaylist(rendition.name),
    );
  }
  // fMP4 costs sound alone more: a box per AAC frame (47 a second) weighs on 64 kbit/s (measured: 67–75 kbit/s at the peak for 64).
  const audio = Math.round(AUDIO_ONLY_KBPS * AUDIO_ONLY_OVERHEAD * 1000);
  lines.push(
    `#EXT-X-STREAM-INF:BANDWIDTH=${Math.round(audio * 1.1)},AVERAGE-BANDWIDTH=${audio},CODECS="${AUDIO_CODECS}"${groups}`,
    renditionPlaylist(AUDIO_ONLY_RENDITION),
  );
  return `${lines.join('\n')}\n`;
}

/**
 * The HLS output of a composite's run: the video renditions (each `[vN]` of the graph with the sound),
 * then the audio-only one, through one muxer. `gopArgs` are the keyframe options, given per encoder.
 */
export function renditionOutputArgs(options: {
  run: number;
  ladder: Ladder;
  segmentSeconds: number;
  /** FFmpeg's `-hls_list_size`: 0 (the default) lists the whole run. */
  listSize?: number;
  audioInput: number;
  gopArgs: string[];
  videoLabel: (index: number) => string;
  /** The floor's sound per rendition (`-map` spec), when a filter makes it; else `audioInput`'s. */
  floorAudio?: (index: number) => string;
  /** Each interpretation language's sound (`-map` spec): an audio-only rendition each (`audio-fr`). */
  interpretations?: ReadonlyArray<{ language: string; map: string }>;
}): string[] {
  const { run, ladder, segmentSeconds, audioInput } = options;
  const interpretations = options.interpretations ?? [];
  const maps: string[] = [];
  const codecs: string[] = [];
  const variants: string[] = [];
  ladder.forEach((rendition, index) => {
    maps.push('-map', options.videoLabel(index));
    const rate = `${rendition.videoKbps}k`;
    // prettier-ignore
    codecs.push(
      `-b:v:${index}`, rate, `-maxrate:v:${index}`, rate, `-bufsize:v:${index}`, rate,
    );
    variants.push(`v:${index},a:${index},name:${rendition.name}`);
  });
  for (let index = 0; index <= ladder.length; index++) {
    maps.push('-map', options.floorAudio?.(index) ?? `${audioInput}:a`);
    const rate = ladder[index]?.audioKbps ?? AUDIO_ONLY_KBPS;
    codecs.push(`-b:a:${index}`, `${rate}k`);
  }
  variants.push(`a:${ladder.length},name:${AUDIO_ONLY_RENDITION}`);
  interpretations.forEach(({ language, map }, i) => {
    const index = ladder.length + 1 + i;
    maps.push('-map', map);
    codecs.push(`-b:a:${index}`, `${AUDIO_ONLY_KBPS}k`);
    variants.push(`a:${index},name:${interpretationRendition(language)}`);
  });
  // prettier-ignore
  return [
    ...maps,
    '-c:v', 'libx264', '-profile:v', 'high', '-level:v', H264_LEVEL, '-preset', 'veryfast', '-tune', 'zerolatency',
    '-pix_fmt', 'yuv420p', '-r', String(PROGRAM_FPS), ...options.gopArgs,
    '-c:a', 'aac', '-ar', '48000', '-ac', '2',
    ...codecs,
    '-f', 'hls',
    '-hls_time', String(segmentSeconds),
    '-hls_list_size', String(options.listSize ?? 0),
    '-hls_segment_type', 'fmp4',
    '-hls_flags', 'independent_segments+program_date_time+temp_file',
    '-var_stream_map', variants.join(' '),
    '-hls_fmp4_init_filename', `r${run}-%v-init.mp4`,
    '-hls_segment_filename', `r${run}-%v-%05d.m4s`,
    `r${run}-%v.m3u8`,
  ];
}

/** The `scale` per video rendition after the composite (`[vout]`): `[v0]` full size, `[v1]`… scaled. */
export function renditionGraph(ladder: Ladder, input: string, canvas: { width: number; height: number }): string[] {
  if (ladder.length === 1 && ladder[0]!.width === canvas.width) return [`${input}null[v0]`];
  const split = `${input}split=${ladder.length}${ladder.map((_, i) => `[split${i}]`).join('')}`;
  return [
    split,
    ...ladder.map((rendition, i) =>
      rendition.width === canvas.width && rendition.height === canvas.height
        ? `[split${i}]null[v${i}]`
        : `[split${i}]scale=w=${rendition.width}:h=${rendition.height}:flags=bilinear[v${i}]`,
    ),
  ];
}

/**
 * An ended event's multivariant playlist: the top rendition alone, the only video one whose segments are
 * kept for the whole event (the recording's); the others kept only their last window, a few seconds of
 * it. The audio-only playlist (`audio.m3u8`, kept whole too) is played by its own address. The caption
 * languages (`#EXT-X-MEDIA`, before it) stay: their segments are all kept; so do the interpretation
 * languages (alternate audio renditions, kept whole too) and the top rendition's `AUDIO` group.
 */
export function endedMultivariant(text: string): string {
  const lines = text.split('\n');
  const first = lines.findIndex((line) => line.startsWith('#EXT-X-STREAM-INF'));
  if (first === -1) return text;
  return `${[...lines.slice(0, first + 2)].join('\n')}\n`;
}

/** Rewrites `dir`'s multivariant playlist as an ended event's (endedMultivariant). */
export async function endMultivariant(dir: string): Promise<void> {
  const path = join(dir, HLS_PLAYLIST);
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return;
  const ended = endedMultivariant(text);
  if (ended !== text) await writeFileAtomically(path, ended);
}

/**
 * The media playlists an event's directory publishes: the ones its multivariant `index.m3u8` lists, or
 * `index.m3u8` itself when it is a media playlist (a recording made before the ladder).
 */
export async function mediaPlaylistsOf(dir: string): Promise<string[]> {
  const text = await readFile(join(dir, HLS_PLAYLIST), 'utf8').catch(() => undefined);
  if (text === undefined) return [];
  if (!text.includes('#EXT-X-STREAM-INF')) return [HLS_PLAYLIST];
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#') && hlsFileKind(line) === 'playlist' && line !== HLS_PLAYLIST);
}

/** The caption languages' playlists a multivariant playlist lists (`subs-es.m3u8`). */
export function subtitlePlaylistsIn(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('#EXT-X-MEDIA:') && line.includes('TYPE=SUBTITLES'))
    .flatMap((line) => /URI="([^"]+)"/.exec(line)?.[1] ?? [])
    .filter((uri) => hlsFileKind(uri) === 'playlist' && uri !== HLS_PLAYLIST);
}

/** The interpretation languages a multivariant playlist lists, with their playlists (`audio-fr.m3u8`), in its order. */
export function interpretationPlaylistsIn(text: string): Array<{ language: string; playlist: string }> {
  return text
    .split('\n')
    .filter((line) => line.startsWith('#EXT-X-MEDIA:') && line.includes('TYPE=AUDIO'))
    .flatMap((line) => {
      const language = /LANGUAGE="([^"]+)"/.exec(line)?.[1];
      const playlist = /URI="([^"]+)"/.exec(line)?.[1];
      if (
        !language ||
        !playlist ||
        hlsFileKind(playlist) !== 'playlist' ||
        playlist !== renditionPlaylist(interpretationRendition(language))
      )
        return [];
      return [{ language, playlist }];
    });
}

/** The media playlist the recording is made from: the top video rendition (listed first). */
export async function recordingPlaylistOf(dir: string): Promise<string> {
  return (await mediaPlaylistsOf(dir))[0] ?? HLS_PLAYLIST;
}
