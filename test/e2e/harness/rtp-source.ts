import { spawn, type ChildProcess } from 'node:child_process';
import type { types } from 'mediasoup';
import type { BroadcastInput } from '../../../apps/api/src/broadcast/broadcast-input';
import type { StudioTrack } from '../../../apps/api/src/media/studio-track';

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
  track(kind: 'audio' | 'video', speakerName: string): StudioTrack;
  close(): Promise<void>;
}

export interface RtpSourceOptions {
  width?: number;
  height?: number;
  fps?: number;
  /** H.264 (x264 ultrafast) by default: VP8 (libvpx realtime) costs more CPU. */
  video?: 'h264' | 'vp8';
  /**
   * Frames only now and then, as a screen share or a canvas sends them when their content changes:
   * `onSeconds` of frames, then `offSeconds` of none, over and over (a keyframe starts each burst).
   */
  bursts?: { onSeconds: number; offSeconds: number };
  /**
   * Seconds between keyframes (1 by default). FFmpeg's RTP output ignores a keyframe request, which a
   * browser answers at once: a shorter interval makes a joining speaker's first picture as quick as a
   * browser's.
   */
  keyframeSeconds?: number;
  /** false: the audio producer exists but gets no RTP, like a page whose AudioContext never started. */
  audio?: boolean;
  /** A black picture that flashes white while a beep sounds, for the first 0.1 s of every second. */
  marks?: boolean;
  /** A picture of this one colour (`0xd02090`) instead of testsrc: a camera a test can find in the program. */
  colour?: string;
  /** The sine's pitch, Hz (440 by default): a voice a test can tell from another. */
  toneHz?: number;
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
  const { width = 640, height = 360, fps = 30, video: videoCodec = 'h264', bursts, marks } = options;
  const gop = Math.max(1, Math.round(fps * (options.keyframeSeconds ?? 1)));
  const sendAudio = options.audio ?? true;
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
  // Frames dropped between bursts stay dropped (-fps_mode vfr): the RTP timestamps jump over the pauses.
  const period = bursts ? bursts.onSeconds + bursts.offSeconds : 0;
  const select = bursts ? `,select=lt(mod(t\\,${period})\\,${bursts.onSeconds})` : '';
  // prettier-ignore
  const audioOutput = sendAudio ? [
    '-map', '1:a', '-c:a', 'libopus', '-ac', '2', '-ar', '48000', '-b:a', '48k',
    '-ssrc', String(ssrc.audio), '-payload_type', '101', '-f', 'rtp', target(audioTransport),
  ] : [];
  const flash = 'lt(mod(t\\,1)\\,0.1)';
  const picture = marks
    ? `color=black:size=${width}x${height}:rate=${fps},drawbox=enable=${flash}:color=white:t=fill`
    : options.colour
      ? `color=c=${options.colour}:size=${width}x${height}:rate=${fps}`
      : `testsrc=size=${width}x${height}:rate=${fps},${STILL_BOTTOM}`;
  const sound = marks
    ? `sine=frequency=1000:sample_rate=48000,volume=enable=not(${flash}):volume=0`
    : `sine=frequency=${options.toneHz ?? 440}:sample_rate=48000`;
  // prettier-ignore
  const ffmpeg: ChildProcess = spawn('ffmpeg', [
    '-hide_banner', '-nostdin', '-loglevel', 'error',
    '-re', '-f', 'lavfi', '-i', `${picture}${select}`,
    '-re', '-f', 'lavfi', '-i', sound,
    '-map', '0:v', ...(bursts ? ['-fps_mode', 'vfr'] : []), ...encoder, '-pix_fmt', 'yuv420p', '-g', String(gop), '-b:v', '600k',
    '-ssrc', String(ssrc.video), '-payload_type', '102', '-f', 'rtp', target(videoTransport),
    ...audioOutput,
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
  #tracks: StudioTrack[] = [];
  #crew: StudioTrack[] = [];
  readonly #listeners = new Set<() => void>();

  constructor(readonly router: types.Router) {}

  tracks(): StudioTrack[] {
    return [...this.#tracks];
  }

  setTracks(tracks: StudioTrack[]): void {
    this.#tracks = tracks;
    for (const listener of this.#listeners) listener();
  }

  /** The crew's tracks (a signer's camera, an interpreter's microphone), as the studio's Room gives them. */
  crewTracks(): StudioTrack[] {
    return [...this.#crew];
  }

  setCrewTracks(tracks: StudioTrack[]): void {
    this.#crew = tracks;
    for (const listener of this.#listeners) listener();
  }

  onTracksChanged(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

const randomInt = () => Math.floor(Math.random() * 1_000_000);
