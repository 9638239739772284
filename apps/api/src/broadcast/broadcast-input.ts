import type { types } from 'mediasoup';
import type { StudioTrack } from '../media/studio-track';

/**
 * What the studio gives the broadcast for an event (`BroadcastService.attachInput`). The broadcast
 * consumes the producers on `router` through its own PlainTransports and rebuilds its pipeline when
 * `onTracksChanged` fires. Paused producers are left out until they resume.
 */
export interface BroadcastInput {
  readonly router: types.Router;
  /** In the order speakers should appear (the first camera gets the first tile). */
  tracks(): StudioTrack[];
  /**
   * The crew's live tracks (not in `tracks()`): signers' cameras (`role: 'signer'`), shown in their fixed
   * place; interpreters' microphones (`role: 'interpreter'`, with their language). Absent: no crew.
   */
  crewTracks?(): StudioTrack[];
  /** Returns the unsubscribe function. */
  onTracksChanged(listener: () => void): () => void;
}
