/**
 * The broadcast's renditions (its bitrate ladder): `/hls/:slug/index.m3u8` is a multivariant playlist
 * listing one media playlist per video rendition (`v720.m3u8`, …: H.264 + AAC, the same GOPs and segment
 * boundaries, scaled from the one composite) and the audio-only one (`audio.m3u8`: AAC). `HLS_LADDER`
 * picks which video renditions an install makes, from these.
 */
export interface VideoRendition {
  /** `v720`: its media playlist is `v720.m3u8`. */
  name: `v${number}`;
  width: number;
  height: number;
  videoKbps: number;
  /** Its sound (AAC): less on the lower renditions, which are for slow networks. */
  audioKbps: number;
}

export const VIDEO_RENDITIONS: readonly VideoRendition[] = [
  { name: 'v720', width: 1280, height: 720, videoKbps: 2500, audioKbps: 128 },
  { name: 'v480', width: 854, height: 480, videoKbps: 1000, audioKbps: 96 },
  { name: 'v360', width: 640, height: 360, videoKbps: 500, audioKbps: 64 },
];

/** The sound of the audio-only rendition. */
export const AUDIO_ONLY_KBPS = 64;
export const AUDIO_ONLY_RENDITION = 'audio';
/** The audio-only media playlist: what the event page's "Audio only" plays (no video is downloaded). */
export const AUDIO_ONLY_PLAYLIST = `${AUDIO_ONLY_RENDITION}.m3u8`;

export const DEFAULT_HLS_LADDER = '720,480,360';

/** `720,480,360` -> those renditions, highest first; undefined for anything else (unknown or repeated heights). */
export function parseLadder(value: string): VideoRendition[] | undefined {
  const heights = value.split(',').map((part) => part.trim());
  if (new Set(heights).size !== heights.length) return undefined;
  const renditions: VideoRendition[] = [];
  for (const height of heights) {
    const rendition = VIDEO_RENDITIONS.find((r) => String(r.height) === height);
    if (!rendition) return undefined;
    renditions.push(rendition);
  }
  return renditions.sort((a, b) => b.height - a.height);
}

/**
 * `/hls/:slug/program.json`: who the broadcast shows now (the names on its tiles), for a listener of the
 * audio-only rendition, who does not see them. Same access and caching as the playlists.
 */
export const PROGRAM_INFO_FILE = 'program.json';

export interface ProgramInfo {
  /** The speakers on air, as their tiles are labelled; empty on a slate. */
  speakers: string[];
}
