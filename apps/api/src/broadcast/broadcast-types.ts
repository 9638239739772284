import type { OnAirQuestion } from './overlay-text';
import type { PortAllocator } from './port-allocator';

/** Follows the event: `soon` before the start, `live` while it runs, `ended` for the closing slate. */
export type BroadcastMode = 'soon' | 'live' | 'ended';

/** Which slate the broadcast shows when it has no speaker to show. */
export type SlateKind = 'soon' | 'waiting' | 'ended';

export type BroadcastEvents = {
  /** The ended slate ran and the playlist is closed (`#EXT-X-ENDLIST`): the recording is complete. */
  finished: [];
  /** Nobody asked for the "starting soon" slate for a while: the owner may close the broadcast. */
  idle: [];
};

export interface BroadcastOptions {
  /** `language`: the slate's and the lower third's (null: English). */
  event: { id: string; slug: string; title: string; language: string | null };
  /** Where the HLS files go: FFmpeg's cwd. */
  dir: string;
  mode: BroadcastMode;
  ports: PortAllocator;
  ffmpegPath: string;
  /** HLS segment length (HLS_SEGMENT_SECONDS). */
  segmentSeconds: number;
  onAir?: OnAirQuestion | null;
}

export interface BroadcastStatus {
  mode: BroadcastMode;
  /** What is on air: the composite of the speakers, a slate, or nothing yet. */
  showing: 'speakers' | SlateKind | 'nothing';
  /** The composite's run: a new one only after FFmpeg really restarted. */
  run?: number;
  pid?: number;
  segments: number;
  restarts: number;
}
