/**
 * How far behind the live edge a player of the broadcast should stay, in seconds, for the length of
 * its segments (`HLS_SEGMENT_SECONDS`), as `npm run bench:latency` measured it: one segment for 1 s
 * segments (any closer stalls), one and a half for half-second ones. Further behind than `max`, the
 * player speeds up to catch up.
 */
export function liveLatency(segmentSeconds: number): { target: number; max: number } {
  return segmentSeconds >= 1
    ? { target: segmentSeconds, max: 3 * segmentSeconds }
    : { target: 1.5 * segmentSeconds, max: 4 * segmentSeconds };
}
