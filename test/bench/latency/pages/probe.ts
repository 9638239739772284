/** What the bench pages report to the runner (plain data: shared by the pages and Node). */
export const PROBE = 'pressroomLatencyProbe';

export interface SpeakerProbe {
  state: string;
  errors: string[];
  framesDrawn: number;
}

export interface LatencySample {
  /** Date.now() on the viewer when the frame was handed to the compositor (requestVideoFrameCallback). */
  at: number;
  /** at - the time drawn into the frame by the speaker page: glass to glass, one clock. */
  latencyMs: number;
  /** hls.js's own estimate of the distance to the live edge, s. */
  hlsLatency: number | null;
  playbackRate: number;
  /** Seconds buffered ahead of the play head. */
  bufferAhead: number;
}

export interface ViewerProbe {
  player: string;
  config: Record<string, unknown>;
  state: 'loading' | 'playing' | 'error';
  currentTime: number;
  videoWidth: number;
  videoHeight: number;
  /** Since the last `begin()`. */
  samples: LatencySample[];
  framesSeen: number;
  undecoded: { sync: number; check: number; contrast: number };
  /** `waiting` events of the video element since `begin()`. */
  waiting: number;
  /** hls.js BUFFER_STALLED_ERROR since `begin()`. */
  bufferStalled: number;
  /** Every hls.js error since `begin()`, "details (fatal?)". */
  hlsErrors: string[];
  /** Target duration and segment count of the last playlist hls.js loaded. */
  targetDuration: number | null;
  segmentDurations: number[];
  errors: string[];
  /** What happened around the stalls: the page's /hls/ requests (resource timing) and its `waiting` events. */
  timeline: TimelineEntry[];
}

export interface TimelineEntry {
  /** Date.now() when it started (a request) or happened (a stall). */
  at: number;
  /** `waiting`, `playing`, `playlist`, `segment`, `init`. */
  kind: string;
  /** The file (a request) or the buffer ahead (a stall). */
  what: string;
  /** A request: how long it took, ms; `cached`: answered by the browser's cache (no bytes over the network). */
  tookMs?: number;
  cached?: boolean;
}

export interface ViewerControl {
  snapshot(): ViewerProbe;
  /** Clears samples and counters: the measurement starts now. */
  begin(): void;
}
