import type { types } from 'mediasoup';

/** One speaker's track the broadcast may show or mix. */
export interface BroadcastTrack {
  producer: types.Producer;
  kind: 'audio' | 'video';
  source: 'microphone' | 'camera' | 'screen';
  speakerName: string;
}

/**
 * What the studio gives the broadcast for an event (`BroadcastService.attachInput`). The broadcast
 * consumes the producers on `router` through its own PlainTransports and rebuilds its pipeline when
 * `onTracksChanged` fires. Paused producers are left out until they resume.
 */
export interface BroadcastInput {
  readonly router: types.Router;
  /** In the order speakers should appear (the first camera gets the first tile). */
  tracks(): BroadcastTrack[];
  /** Returns the unsubscribe function. */
  onTracksChanged(listener: () => void): () => void;
}
