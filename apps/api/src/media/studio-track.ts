import type { types } from 'mediasoup';
import type { TrackSource } from '@pressroom/protocol';

/**
 * One speaker's track in the studio, as the broadcast shows or mixes it: the studio's `Room` lists
 * them, the broadcast consumes their producers.
 */
export interface StudioTrack {
  producer: types.Producer;
  kind: types.MediaKind;
  source: TrackSource;
  speakerName: string;
}
