/**
 * Put into the REAL studio page before its own scripts (Playwright `addInitScript`): the camera the page
 * opens (Chromium's fake one) comes back with the wall-clock time drawn into every frame as blocks
 * (../timecode.ts), through Chromium's breakout box (MediaStreamTrackProcessor → OffscreenCanvas →
 * MediaStreamTrackGenerator). Frames keep the camera's capture timestamps, so WebRTC paces them as a
 * camera's. Everything else on the page is its own.
 */
import { CELL_COUNT, CODE, cellOrigin, encodeTime } from '../timecode';
import { PROBE, type SpeakerProbe } from './probe';

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

const errors: string[] = [];
let framesDrawn = 0;
let cameras = 0;

function drawCode(context: OffscreenCanvasRenderingContext2D, now: number): void {
  const bits = encodeTime(now);
  for (let index = 0; index < CELL_COUNT; index++) {
    const { x, y } = cellOrigin(index);
    context.fillStyle = bits[index] ? '#fff' : '#000';
    context.fillRect(x, y, CODE.cell, CODE.cell);
  }
  framesDrawn++;
}

function stamped(camera: MediaStreamTrack): MediaStreamTrack {
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
    .catch((error: unknown) => errors.push(`camera: ${String(error)}`));
  // The page turning its camera off stops the real one too.
  const stop = generator.stop.bind(generator);
  generator.stop = () => {
    stop();
    camera.stop();
  };
  cameras++;
  return generator;
}

// Not in workers, nor where the page may not use devices.
const devices = globalThis.navigator?.mediaDevices as MediaDevices | undefined;
if (devices) {
  const getUserMedia = devices.getUserMedia.bind(devices);
  devices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
    const stream = await getUserMedia(constraints);
    const [camera] = stream.getVideoTracks();
    if (!camera) return stream;
    return new MediaStream([...stream.getAudioTracks(), stamped(camera)]);
  };
}

const snapshot = (): SpeakerProbe => ({ state: cameras > 0 ? 'camera' : 'loading', errors, framesDrawn });
Object.assign(globalThis, { [PROBE]: { snapshot } });
