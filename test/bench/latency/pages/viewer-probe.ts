/**
 * Put into the REAL event page (apps/viewer, as the API serves it) before its own scripts: a few times a
 * second it reads the time drawn into the frame on screen (requestVideoFrameCallback → canvas →
 * ../timecode.ts) and records now − that time, with the video's playback rate, the buffer ahead and its
 * `waiting` events. It only watches: the page plays the broadcast with its own player and settings.
 */
import { CELL_COUNT, CODE, cellOrigin, decodeTime } from '../timecode';
import { PROBE, type LatencySample, type TimelineEntry, type ViewerControl, type ViewerProbe } from './probe';

const sampleEveryMs = Number(new URLSearchParams(location.search).get('every') ?? '250');
const errors: string[] = [];
let state: ViewerProbe['state'] = 'loading';
let samples: LatencySample[] = [];
let framesSeen = 0;
let undecoded = { sync: 0, check: 0, contrast: 0 };
let waiting = 0;
let lastSampleAt = 0;
let video: HTMLVideoElement | null = null;
/** The last TIMELINE_KEEP_MS of requests and stalls (for the report around each stall). */
let timeline: TimelineEntry[] = [];
const TIMELINE_KEEP_MS = 120_000;

const note = (entry: TimelineEntry) => {
  timeline.push(entry);
  if (timeline.length % 200 === 0) timeline = timeline.filter((e) => e.at > Date.now() - TIMELINE_KEEP_MS);
};
new PerformanceObserver((list) => {
  for (const entry of list.getEntries() as PerformanceResourceTiming[]) {
    const url = new URL(entry.name);
    const path = url.pathname;
    const msn = url.searchParams.get('_HLS_msn');
    if (!path.startsWith('/hls/')) continue;
    const file = path.slice(path.lastIndexOf('/') + 1);
    note({
      at: Math.round(performance.timeOrigin + entry.startTime),
      kind: file.endsWith('.m3u8') ? 'playlist' : file.includes('init') ? 'init' : 'segment',
      // A blocking reload asks for a segment not listed yet.
      what: msn === null ? file : `${file} (blocking, for segment ${msn})`,
      tookMs: Math.round(entry.responseEnd - entry.startTime),
      cached: entry.transferSize === 0,
    });
  }
  performance.clearResourceTimings();
}).observe({ type: 'resource', buffered: true });

addEventListener('error', (event) => errors.push(event.message));

function bufferAhead(media: HTMLVideoElement): number {
  const { buffered, currentTime } = media;
  for (let index = 0; index < buffered.length; index++) {
    if (buffered.start(index) <= currentTime + 0.05 && currentTime <= buffered.end(index)) {
      return buffered.end(index) - currentTime;
    }
  }
  return 0;
}

/** The buffered ranges, `12.00-14.50 14.52-15.00`: a gap between two shows where the play head may stop. */
function ranges(media: HTMLVideoElement): string {
  const { buffered } = media;
  return Array.from(
    { length: buffered.length },
    (_, i) => `${buffered.start(i).toFixed(2)}-${buffered.end(i).toFixed(2)}`,
  ).join(' ');
}

let canvas: HTMLCanvasElement | undefined;
let context: CanvasRenderingContext2D | undefined;

/** Mean luma of the middle half of every cell. */
function readCells(): number[] {
  const { data } = context!.getImageData(0, 0, canvas!.width, canvas!.height);
  const quarter = CODE.cell / 4;
  return Array.from({ length: CELL_COUNT }, (_, index) => {
    const origin = cellOrigin(index);
    let sum = 0;
    let count = 0;
    for (let y = origin.y + quarter; y < origin.y + 3 * quarter; y += 2) {
      for (let x = origin.x + quarter; x < origin.x + 3 * quarter; x += 2) {
        const at = (y * canvas!.width + x) * 4;
        sum += 0.299 * data[at]! + 0.587 * data[at + 1]! + 0.114 * data[at + 2]!;
        count++;
      }
    }
    return sum / count;
  });
}

function onFrame(): void {
  const media = video!;
  const now = Date.now();
  framesSeen++;
  if (now - lastSampleAt >= sampleEveryMs && media.videoWidth > 0) {
    lastSampleAt = now;
    canvas ??= Object.assign(document.createElement('canvas'), { width: CODE.width, height: CODE.rows * CODE.cell });
    context ??= canvas.getContext('2d', { willReadFrequently: true })!;
    // Whatever the rendition's size, the code is read on a 1280x720 picture.
    context.drawImage(media, 0, 0, CODE.width, CODE.height);
    const decoded = decodeTime(readCells());
    if (decoded.ok) {
      samples.push({
        at: now,
        latencyMs: now - decoded.ms,
        hlsLatency: null,
        playbackRate: media.playbackRate,
        bufferAhead: bufferAhead(media),
      });
    } else {
      undecoded[decoded.reason]++;
    }
  }
  media.requestVideoFrameCallback(onFrame);
}

function watch(media: HTMLVideoElement): void {
  video = media;
  media.addEventListener('waiting', () => {
    waiting++;
    note({
      at: Date.now(),
      kind: 'waiting',
      what: `t=${media.currentTime.toFixed(2)} ahead ${bufferAhead(media).toFixed(2)} s, buffered ${ranges(media)}`,
    });
  });
  media.addEventListener('playing', () => {
    state = 'playing';
    note({
      at: Date.now(),
      kind: 'playing',
      what: `t=${media.currentTime.toFixed(2)} ahead ${bufferAhead(media).toFixed(2)} s`,
    });
  });
  media.addEventListener('error', () => errors.push(media.error?.message ?? 'media error'));
  media.requestVideoFrameCallback(onFrame);
}

const found = () => {
  const media = document.querySelector<HTMLVideoElement>('video#video');
  if (media && !video) watch(media);
  return media !== null;
};
if (!found()) {
  const observer = new MutationObserver(() => found() && observer.disconnect());
  observer.observe(document, { childList: true, subtree: true });
}

const control: ViewerControl = {
  snapshot: () => ({
    player: 'event page',
    config: {},
    state,
    currentTime: video?.currentTime ?? 0,
    videoWidth: video?.videoWidth ?? 0,
    videoHeight: video?.videoHeight ?? 0,
    samples,
    framesSeen,
    undecoded,
    waiting,
    bufferStalled: 0,
    hlsErrors: [],
    targetDuration: null,
    segmentDurations: [],
    errors,
    timeline,
  }),
  begin() {
    samples = [];
    framesSeen = 0;
    undecoded = { sync: 0, check: 0, contrast: 0 };
    waiting = 0;
  },
};
Object.assign(globalThis, { [PROBE]: control });
