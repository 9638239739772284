/**
 * Bench page for a speaker: `speaker.html?slug=…&invite=…` joins the studio and sends a 1280x720 canvas
 * (30 fps) with the wall-clock time drawn into it as blocks (see ../timecode.ts), and a quiet tone.
 */
import { StudioClient } from '../../../../libs/studio-client/src';
import { CELL_COUNT, CODE, cellOrigin, encodeTime } from '../timecode';
import { PROBE, type SpeakerProbe } from './probe';

const params = new URLSearchParams(location.search);
const errors: string[] = [];
let client: StudioClient | undefined;
let framesDrawn = 0;

/** The peer connections StudioClient opens, to read the sender's statistics. */
const connections: RTCPeerConnection[] = [];
const NativePeerConnection = globalThis.RTCPeerConnection;
globalThis.RTCPeerConnection = class extends NativePeerConnection {
  constructor(configuration?: RTCConfiguration) {
    super(configuration);
    connections.push(this);
  }
};

/** The video sender's outbound-rtp statistics (keyframes, PLIs, size, encoder). */
async function outboundVideo(): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  for (const connection of connections) {
    (await connection.getStats()).forEach((report: Record<string, unknown>) => {
      if (report['type'] === 'outbound-rtp' && report['kind'] === 'video') {
        const pick = [
          'framesEncoded',
          'keyFramesEncoded',
          'pliCount',
          'firCount',
          'nackCount',
          'frameWidth',
          'frameHeight',
          'framesPerSecond',
          'encoderImplementation',
          'qualityLimitationReason',
          'bytesSent',
          'targetBitrate',
        ];
        found.push(Object.fromEntries(pick.map((key) => [key, report[key]])));
      }
    });
  }
  return found;
}

function timecodeTrack(): MediaStreamTrack {
  // The broadcast scales the camera to 1280x720 whatever its size: a smaller canvas gives smaller cells.
  const scale = Number(params.get('scale') ?? '1');
  const canvas = Object.assign(document.createElement('canvas'), {
    width: Math.round(CODE.width * scale),
    height: Math.round(CODE.height * scale),
  });
  document.body.append(canvas);
  const context = canvas.getContext('2d', { alpha: false })!;
  context.scale(scale, scale);
  const draw = () => {
    const now = Date.now();
    // Something that moves below the code, as a camera picture would.
    context.fillStyle = '#345';
    context.fillRect(0, 0, CODE.width, CODE.height);
    const x = (now / 4) % CODE.width;
    context.fillStyle = '#c84';
    context.fillRect(x, 400, 120, 200);
    context.fillStyle = '#fff';
    context.font = '40px sans-serif';
    context.fillText(new Date(now).toISOString().slice(11, 23), 40, 380);
    drawCode(context, now);
  };
  draw();
  const pace = params.get('pace') ?? 'interval';
  const track = canvas.captureStream(pace === 'request' ? 0 : 30).getVideoTracks()[0]! as CanvasCaptureMediaStreamTrack;
  if (pace === 'raf') {
    const loop = () => {
      draw();
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  } else if (pace === 'request') {
    setInterval(() => {
      draw();
      track.requestFrame();
    }, 1000 / 30);
  } else {
    setInterval(draw, 1000 / 30);
  }
  const hint = params.get('hint');
  if (hint) track.contentHint = hint;
  return track;
}

/** Draws the code over a frame of the picture (the top 4 rows of cells). */
function drawCode(context: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D, now: number): void {
  const bits = encodeTime(now);
  for (let index = 0; index < CELL_COUNT; index++) {
    const { x, y } = cellOrigin(index);
    context.fillStyle = bits[index] ? '#fff' : '#000';
    context.fillRect(x, y, CODE.cell, CODE.cell);
  }
  framesDrawn++;
}

interface TrackProcessor {
  readable: ReadableStream<VideoFrame>;
}
interface TrackGenerator extends MediaStreamTrack {
  writable: WritableStream<VideoFrame>;
}
type Breakout = {
  MediaStreamTrackProcessor: new (init: { track: MediaStreamTrack }) => TrackProcessor;
  MediaStreamTrackGenerator: new (init: { kind: 'video' }) => TrackGenerator;
};

/**
 * The fake camera (1280x720) with the code drawn into every frame, through Chromium's breakout box
 * (MediaStreamTrackProcessor → OffscreenCanvas → MediaStreamTrackGenerator). Frames keep the camera's
 * own capture timestamps, so the track looks like a camera to WebRTC. `source=canvas` sends a plain
 * canvas `captureStream()` track instead, and no audio: its AudioContext is not allowed to start
 * without a user gesture or a granted microphone.
 */
async function overlayTrack(): Promise<MediaStreamTrack> {
  const camera = (
    await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720, frameRate: 30 } })
  ).getVideoTracks()[0]!;
  const { MediaStreamTrackProcessor, MediaStreamTrackGenerator } = globalThis as unknown as Breakout;
  const processor = new MediaStreamTrackProcessor({ track: camera });
  const generator = new MediaStreamTrackGenerator({ kind: 'video' });
  const canvas = new OffscreenCanvas(CODE.width, CODE.height);
  const context = canvas.getContext('2d', { alpha: false })!;
  void processor.readable
    .pipeThrough(
      new TransformStream<VideoFrame, VideoFrame>({
        transform(frame, controller) {
          context.drawImage(frame, 0, 0, CODE.width, CODE.height);
          drawCode(context, Date.now());
          const timestamp = frame.timestamp;
          frame.close();
          controller.enqueue(new VideoFrame(canvas, { timestamp }));
        },
      }),
    )
    .pipeTo(generator.writable)
    .catch((error: unknown) => errors.push(`overlay: ${String(error)}`));
  return generator;
}

function toneTrack(): MediaStreamTrack {
  const audio = new AudioContext();
  const oscillator = audio.createOscillator();
  oscillator.frequency.value = 440;
  const gain = audio.createGain();
  gain.gain.value = 0.05;
  const destination = audio.createMediaStreamDestination();
  oscillator.connect(gain).connect(destination);
  oscillator.start();
  void audio.resume();
  return destination.stream.getAudioTracks()[0]!;
}

async function main(): Promise<void> {
  const slug = params.get('slug');
  const invite = params.get('invite');
  if (!slug || !invite) throw new Error('The link needs ?slug=…&invite=…');
  const source = params.get('source') ?? 'overlay';
  const video =
    source === 'camera'
      ? (await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720 } })).getVideoTracks()[0]!
      : source === 'canvas'
        ? timecodeTrack()
        : await overlayTrack();
  const stream = new MediaStream([toneTrack(), video]);
  client = await StudioClient.join({ baseUrl: location.origin, slug, invite });
  client.on('error', (error) => errors.push(error.message));
  await client.publish(stream);
}

function snapshot(): SpeakerProbe {
  return { state: client?.state ?? (errors.length > 0 ? 'error' : 'loading'), errors, framesDrawn };
}

Object.assign(globalThis, { [PROBE]: { snapshot, outboundVideo } });
setInterval(() => (document.body.dataset['state'] = snapshot().state), 100);
main().catch((error: unknown) => errors.push(error instanceof Error ? error.message : String(error)));
