import { spawn, type ChildProcess } from 'node:child_process';
import type { types } from 'mediasoup';
import type { BroadcastInput, BroadcastTrack } from '../../../apps/api/src/broadcast/broadcast-input';

const OPUS: types.RtpCodecCapability = { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 };
const H264: types.RtpCodecCapability = {
  kind: 'video',
  mimeType: 'video/H264',
  clockRate: 90000,
  parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 },
};
const VP8: types.RtpCodecCapability = { kind: 'video', mimeType: 'video/VP8', clockRate: 90000 };

/** What a router needs to take the synthetic speaker's media (either video codec). */
export const RTP_SOURCE_CODECS: types.RtpCodecCapability[] = [OPUS, H264, VP8];

export interface RtpSource {
  readonly video: types.Producer;
  readonly audio: types.Producer;
  /** The source as the studio would hand it to the broadcast: one camera and one microphone. */
  track(kind: 'audio' | 'video', speakerName: string): BroadcastTrack;
  close(): Promise<void>;
}

export interface RtpSourceOptions {
  width?: number;
  height?: number;
  fps?: number;
  /** H.264 (x264 ultrafast) by default: VP8 (libvpx realtime) costs more CPU. */
  video?: 'h264' | 'vp8';
}

/**
 * testsrc's scrolling band sits where the broadcast's lower third goes: a still grey band over the
 * bottom third keeps that region the same from frame to frame, so a test can see the overlay come
 * and go. The upper part (colour bars, the running counter) still moves.
 */
const STILL_BOTTOM = 'drawbox=x=0:y=ih*2/3:w=iw:h=ih/3:color=0x505860:t=fill';

/**
 * A synthetic speaker: FFmpeg sends `testsrc` as H.264 (or VP8) and a sine as Opus over RTP into two mediasoup
 * PlainTransports (comedia: mediasoup learns FFmpeg's addresses from its first packets) and each
 * becomes a producer on `router`, as a browser's tracks would.
 */
export async function startRtpSource(router: types.Router, options: RtpSourceOptions = {}): Promise<RtpSource> {
  const { width = 640, height = 360, fps = 30, video: videoCodec = 'h264' } = options;
  const transports = await Promise.all(
    ['video', 'audio'].map(() => router.createPlainTransport({ listenIp: '127.0.0.1', rtcpMux: false, comedia: true })),
  );
  const [videoTransport, audioTransport] = transports as [types.PlainTransport, types.PlainTransport];
  const ssrc = { video: 20_000_000 + randomInt(), audio: 10_000_000 + randomInt() };
  const video = await videoTransport.produce({
    kind: 'video',
    rtpParameters: {
      codecs: [
        { ...(videoCodec === 'vp8' ? VP8 : H264), payloadType: 102, rtcpFeedback: [] },
      ] as types.RtpCodecParameters[],
      encodings: [{ ssrc: ssrc.video }],
    },
  });
  const audio = await audioTransport.produce({
    kind: 'audio',
    rtpParameters: {
      codecs: [{ ...OPUS, payloadType: 101, rtcpFeedback: [] }] as types.RtpCodecParameters[],
      encodings: [{ ssrc: ssrc.audio }],
    },
  });
  const target = (transport: types.PlainTransport) =>
    `rtp://127.0.0.1:${transport.tuple.localPort}?rtcpport=${transport.rtcpTuple!.localPort}&pkt_size=1200`;

  // prettier-ignore
  const encoder = videoCodec === 'vp8'
    ? ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-error-resilient', '1', '-auto-alt-ref', '0']
    : ['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-profile:v', 'baseline'];
  // prettier-ignore
  const ffmpeg: ChildProcess = spawn('ffmpeg', [
    '-hide_banner', '-nostdin', '-loglevel', 'error',
    '-re', '-f', 'lavfi', '-i', `testsrc=size=${width}x${height}:rate=${fps},${STILL_BOTTOM}`,
    '-re', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-map', '0:v', ...encoder, '-pix_fmt', 'yuv420p', '-g', String(fps), '-b:v', '600k',
    '-ssrc', String(ssrc.video), '-payload_type', '102', '-f', 'rtp', target(videoTransport),
    '-map', '1:a', '-c:a', 'libopus', '-ac', '2', '-ar', '48000', '-b:a', '48k',
    '-ssrc', String(ssrc.audio), '-payload_type', '101', '-f', 'rtp', target(audioTransport),
  ], { stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((resolve) => ffmpeg.once('exit', () => resolve()));

  return {
    video,
    audio,
    track: (kind, speakerName) => ({
      producer: kind === 'video' ? video : audio,
      kind,
      source: kind === 'video' ? 'camera' : 'microphone',
      speakerName,
    }),
    async close() {
      ffmpeg.kill('SIGKILL');
      await exited;
      for (const transport of transports) transport.close();
    },
  };
}

/** A studio stand-in for `BroadcastService.attachInput`: set its tracks, and it tells the broadcast. */
export class FakeStudioInput implements BroadcastInput {
  #tracks: BroadcastTrack[] = [];
  readonly #listeners = new Set<() => void>();

  constructor(readonly router: types.Router) {}

  tracks(): BroadcastTrack[] {
    return [...this.#tracks];
  }

  setTracks(tracks: BroadcastTrack[]): void {
    this.#tracks = tracks;
    for (const listener of this.#listeners) listener();
  }

  onTracksChanged(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

const randomInt = () => Math.floor(Math.random() * 1_000_000);
