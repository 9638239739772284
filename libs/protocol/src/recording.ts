/** What became of an event's recording, for moderators (`GET /api/events/:slug/recording`). */
export type RecordingState =
  /** The event has not ended: the broadcast is still being recorded. */
  | 'not_ended'
  /** Ended: the MP4 is being made from the broadcast; ask again after `retryAfterSeconds`. */
  | 'preparing'
  | 'ready'
  /** Ended without having been on air: there is nothing to download. */
  | 'empty'
  /** The MP4 could not be made; downloading it tries again. */
  | 'failed';

export interface RecordingStatus {
  state: RecordingState;
  /**
   * The MP4 (H.264 + AAC, from the start of the event to its end): 200 with ranges when ready, 202 while
   * preparing, 409 before the end or when nothing was recorded. It carries a key (`?key=`) that lets a
   * plain link download it without the moderator's bearer token, for `downloadUrlExpiresInSeconds`;
   * the same address with the bearer token works too.
   */
  downloadUrl: string;
  /** How long the key in `downloadUrl` works: ask for the status again for a new one. */
  downloadUrlExpiresInSeconds: number;
  /** Ready: the size of the MP4. */
  sizeBytes?: number;
  /** Preparing or ready: how long the recording is. */
  durationSeconds?: number;
  /** Preparing: when to ask again. */
  retryAfterSeconds?: number;
  /** Ready: one WebVTT file per caption language of the event, in the order of their subtitle streams. */
  captions?: RecordingCaptionFile[];
}

/** The longest a caption line shows in the recording's WebVTT files and subtitle streams, seconds. */
export const RECORDING_CAPTION_MAX_SECONDS = 4;

/** One caption language of a recording: a WebVTT file beside the MP4 (and a subtitle stream in it). */
export interface RecordingCaptionFile {
  /** The captioners' language (BCP 47, as invited), e.g. `es`. */
  language: string;
  /** The same language as the MP4's subtitle stream names it (ISO 639-2/T, `und` when unknown), e.g. `spa`. */
  mp4Language: string;
  /**
   * The WebVTT file, timed against the recording (0 s = its first picture), with the same kind of key as
   * `downloadUrl` (or the moderator's bearer token).
   */
  url: string;
}
