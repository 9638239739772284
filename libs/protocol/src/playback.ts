/**
 * How far behind the live edge a player of the broadcast should stay, in seconds, for the length of
 * its segments (`HLS_SEGMENT_SECONDS`), as `npm run bench:latency` measured it on the event page: one
 * segment for 1 s segments (any closer stalls), two for half-second ones (one and a half stalled on a
 * busy server: a segment listed late emptied the buffer). Further behind than `max`, the player jumps
 * to its target; between the two, it plays a little faster (apps/viewer/src/player.ts).
 */
export function liveLatency(segmentSeconds: number): { target: number; max: number } {
  return segmentSeconds >= 1
    ? { target: segmentSeconds, max: 3 * segmentSeconds }
    : { target: 2 * segmentSeconds, max: 5 * segmentSeconds };
}
