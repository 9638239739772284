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
}
