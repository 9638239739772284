import type { types } from 'mediasoup';
import type { StudioRole, TrackSource } from '@pressroom/protocol';

/**
 * One speaker's track in the studio, as the broadcast shows or mixes it: the studio's `Room` lists
 * them, the broadcast consumes their producers.
 */
export interface StudioTrack {
  producer: types.Producer;
  kind: types.MediaKind;
  source: TrackSource;
  speakerName: string;
  /** Whose track: the floor's (speaker, moderator, guest) or the crew's (interpreter, signer); absent: a speaker's. */
  role?: StudioRole;
  /** An interpreter's language (BCP 47); null or absent for everyone else. */
  language?: string | null;
}
