/**
 * Bench page for the audience: `viewer.html?slug=…&player=tuned|default&segment=1` plays the broadcast with
 * hls.js and, a few times a second, reads the time drawn into the frame on screen
 * (requestVideoFrameCallback → canvas → ../timecode.ts) and records now - that time.
 */
import Hls, { type HlsConfig } from 'hls.js';
import { CELL_COUNT, CODE, cellOrigin, decodeTime } from '../timecode';
import { PROBE, type LatencySample, type ViewerControl, type ViewerProbe } from './probe';

const params = new URLSearchParams(location.search);
const slug = params.get('slug') ?? '';
const player = params.get('player') ?? 'tuned';
const sampleEveryMs = Number(params.get('every') ?? '400');
const segmentSeconds = params.get('segment') ?? '1';

/**
 * The settings under test per segment length. Counts multiply the playlist's TARGETDURATION, which
 * stays 1 for half-second segments: those need the distances in seconds.
 */
const TUNED: Record<string, Partial<HlsConfig>> = {
  '1': {
    lowLatencyMode: false,
    liveSyncDurationCount: 1,
    liveMaxLatencyDurationCount: 3,
    maxLiveSyncPlaybackRate: 1.5,
  },
  '0.5': {
    lowLatencyMode: false,
    liveSyncDuration: 0.75,
    liveMaxLatencyDuration: 2,
    maxLiveSyncPlaybackRate: 1.5,
  },
};
/** `default` is hls.js as shipped, for reference. */
const CONFIGS: Record<string, Partial<HlsConfig>> = { tuned: TUNED[segmentSeconds] ?? TUNED['1']!, default: {} };
const config = CONFIGS[player] ?? JSON.parse(player);

const video = document.querySelector('video') as HTMLVideoElement;
const canvas = Object.assign(document.createElement('canvas'), { width: CODE.width, height: CODE.rows * CODE.cell });
const context = canvas.getContext('2d', { willReadFrequently: true })!;
const errors: string[] = [];
let state: ViewerProbe['state'] = 'loading';
let samples: LatencySample[] = [];
let framesSeen = 0;
let undecoded = { sync: 0, check: 0, contrast: 0 };
let waiting = 0;
let bufferStalled = 0;
let hlsErrors: string[] = [];
let targetDuration: number | null = null;
let segmentDurations: number[] = [];
let lastSampleAt = 0;

const source = `/hls/${encodeURIComponent(slug)}/index.m3u8`;
const hls = new Hls(config);
hls.on(Hls.Events.ERROR, (_event, data) => {
  hlsErrors.push(`${data.details}${data.fatal ? ' (fatal)' : ''}`);
  if (data.details === Hls.ErrorDetails.BUFFER_STALLED_ERROR) bufferStalled++;
  if (!data.fatal) return;
  if (data.type === Hls.ErrorTypes.NETWORK_ERROR) setTimeout(() => hls.loadSource(source), 1000);
  else if (data.type === Hls.ErrorTypes.MEDIA_ERROR) hls.recoverMediaError();
  else {
    errors.push(data.details);
    state = 'error';
  }
});
hls.on(Hls.Events.LEVEL_LOADED, (_event, data) => {
  targetDuration = data.details.targetduration;
  segmentDurations = data.details.fragments.slice(-5).map((fragment) => fragment.duration);
});
hls.attachMedia(video);
hls.loadSource(source);
video.addEventListener('waiting', () => waiting++);
video.addEventListener('playing', () => (state = 'playing'));
video.addEventListener('error', () => errors.push(video.error?.message ?? 'media error'));

function bufferAhead(): number {
  const { buffered, currentTime } = video;
  for (let index = 0; index < buffered.length; index++) {
    if (buffered.start(index) <= currentTime + 0.05 && currentTime <= buffered.end(index)) {
      return buffered.end(index) - currentTime;
    }
  }
  return 0;
}

/** Mean luma of the middle half of every cell. */
function readCells(): number[] {
  const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
  const quarter = CODE.cell / 4;
  return Array.from({ length: CELL_COUNT }, (_, index) => {
    const origin = cellOrigin(index);
    let sum = 0;
    let count = 0;
    for (let y = origin.y + quarter; y < origin.y + 3 * quarter; y += 2) {
      for (let x = origin.x + quarter; x < origin.x + 3 * quarter; x += 2) {
        const at = (y * canvas.width + x) * 4;
        sum += 0.299 * data[at]! + 0.587 * data[at + 1]! + 0.114 * data[at + 2]!;
        count++;
      }
    }
    return sum / count;
  });
}

function onFrame(): void {
  const now = Date.now();
  framesSeen++;
  if (now - lastSampleAt >= sampleEveryMs && video.videoWidth > 0) {
    lastSampleAt = now;
    // The broadcast is 1280x720; scale anyway, in case a rendition is smaller.
    context.drawImage(video, 0, 0, CODE.width, CODE.height);
    const decoded = decodeTime(readCells());
    if (decoded.ok) {
      samples.push({
        at: now,
        latencyMs: now - decoded.ms,
        hlsLatency: Number.isFinite(hls.latency) ? hls.latency : null,
        playbackRate: video.playbackRate,
        bufferAhead: bufferAhead(),
      });
    } else {
      undecoded[decoded.reason]++;
    }
  }
  video.requestVideoFrameCallback(onFrame);
}
video.requestVideoFrameCallback(onFrame);

const control: ViewerControl = {
  snapshot: () => ({
    player,
    config: config as Record<string, unknown>,
    state,
    currentTime: video.currentTime,
    videoWidth: video.videoWidth,
    videoHeight: video.videoHeight,
    samples,
    framesSeen,
    undecoded,
    waiting,
    bufferStalled,
    hlsErrors,
    targetDuration,
    segmentDurations,
    errors,
  }),
  begin() {
    samples = [];
    framesSeen = 0;
    undecoded = { sync: 0, check: 0, contrast: 0 };
    waiting = 0;
    bufferStalled = 0;
    hlsErrors = [];
  },
};
Object.assign(globalThis, { [PROBE]: control });
