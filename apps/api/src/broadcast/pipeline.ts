import { EventEmitter } from 'node:events';
import { readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { types } from 'mediasoup';
import type { StudioTrack } from '../media/studio-track';
import { ffmpegArgs } from './ffmpeg-command';
import { FfmpegProcess } from './ffmpeg-process';
import { parseMediaPlaylist, runFileName, type HlsSegment } from './hls-playlist';
import type { Tile } from './layout';
import { oneLine, writeFileAtomically } from './overlay-text';
import type { PortAllocator } from './port-allocator';
import { buildSdp, type SdpStream } from './sdp';
import { TileFeed } from './tile-feed';

/** Which slate a pipeline shows when it has no video to show. */
export type SlateKind = 'soon' | 'waiting' | 'ended';

/** What a pipeline renders; two specs with the same `specKey` render the same. */
export interface PipelineSpec {
  slate: SlateKind;
  video: StudioTrack[];
  /** Where each video goes (`input` indexes `video`), computed once with the spec (`layoutVideos`). */
  tiles: readonly Tile[];
  audio: StudioTrack[];
  lowerThird: boolean;
}

export function specKey(spec: PipelineSpec): string {
  return JSON.stringify({
    slate: spec.video.length > 0 ? null : spec.slate,
    video: spec.video.map((t) => [t.producer.id, t.source, t.speakerName]),
    audio: spec.audio.map((t) => t.producer.id),
    lowerThird: spec.lowerThird,
  });
}

/** Files the broadcast keeps up to date in its work directory, relative to the broadcast directory. */
export const WORK_FILES = {
  dir: 'work',
  title: 'work/title.txt',
  slate: (kind: SlateKind) => `work/slate-${kind}.txt`,
  lowerHeading: 'work/lower-heading.txt',
  lowerBody: 'work/lower-body.txt',
  sdp: (run: number) => `work/r${run}.sdp`,
  label: (run: number, index: number) => `work/r${run}-label-${index}.txt`,
  tileSdp: (run: number, index: number) => `work/r${run}-tile-${index}.sdp`,
  tileFrame: (run: number, index: number) => `work/r${run}-tile-${index}.pgmyuv`,
};

export type PipelineEvents = {
  /** Segments FFmpeg finished since the last time, in order. */
  segments: [segments: HlsSegment[]];
  /** FFmpeg (the composite or a tile feed) ended without being asked to. */
  exit: [];
  /** A consumed producer closed, paused or resumed, or the router went away: time to rebuild. */
  inputchange: [];
};

export interface PipelineOptions {
  run: number;
  /** The broadcast's directory: FFmpeg's cwd, where the run's HLS files go. */
  dir: string;
  spec: PipelineSpec;
  /** Needed when the spec has tracks. */
  router?: types.Router;
  ports: PortAllocator;
  ffmpegPath: string;
  /** HLS segment length, seconds. */
  segmentSeconds: number;
}

/** How often the run's playlist is looked at: a new segment waits half of this on average to be listed. */
const POLL_MS = 50;
/** FFmpeg's RTP input never asks for keyframes: we do, often at first (its sockets take a moment). */
const KEYFRAME_WARMUP_MS = [0, 300, 800, 1_500];
const KEYFRAME_INTERVAL_MS = 2_000;
/** The composite waits this long at most for every tile's first picture (a new run shows no empty tile). */
const FIRST_PICTURE_WAIT_MS = 2_500;

/** A producer consumed through a PlainTransport of its own, sent to FFmpeg on `port` (RTCP on port + 1). */
export interface RtpInput {
  transport: types.PlainTransport;
  consumer: types.Consumer;
  port: number;
}

/**
 * One run of the broadcast and what feeds it: a PlainTransport consumer per track on a port pair of its
 * own; per video a tile feed (an FFmpeg decoding it into its tile's picture file); the composite FFmpeg,
 * which samples those pictures, mixes the audio it receives over RTP, and writes the run's HLS files;
 * and the run's playlist, which it watches for finished segments. `close()` stops the composite first
 * (while the RTP still flows), then the feeds and consumers, and frees the ports; it is safe to call
 * twice and reports the last segments before it resolves.
 */
export class Pipeline extends EventEmitter<PipelineEvents> {
  readonly run: number;
  readonly spec: PipelineSpec;
  readonly key: string;
  readonly startedAt = Date.now();
  readonly #dir: string;
  readonly #inputs: RtpInput[];
  readonly #feeds: TileFeed[];
  readonly #ports: PortAllocator;
  readonly #segmentSeconds: number;
  readonly #timers: NodeJS.Timeout[] = [];
  #process?: FfmpegProcess;
  #segmentsTaken = 0;
  #lastSegmentAt?: number;
  #playlistStamp = '';
  #polling?: Promise<void>;
  #closing?: Promise<void>;

  private constructor(options: PipelineOptions, inputs: RtpInput[], feeds: TileFeed[]) {
    super();
    this.run = options.run;
    this.spec = options.spec;
    this.key = specKey(options.spec);
    this.#dir = options.dir;
    this.#inputs = inputs;
    this.#feeds = feeds;
    this.#ports = options.ports;
    this.#segmentSeconds = options.segmentSeconds;
  }

  /** Resolves once the composite runs: after every tile's first picture, or `FIRST_PICTURE_WAIT_MS`. */
  static async create(options: PipelineOptions): Promise<Pipeline> {
    const { run, spec, dir, ffmpegPath } = options;
    const tracks = [...spec.video, ...spec.audio];
    if (tracks.length > 0 && !options.router) throw new Error('a pipeline with tracks needs the router');
    const { tiles } = spec;
    const inputs: RtpInput[] = [];
    const feeds: TileFeed[] = [];
    try {
      for (const track of tracks) inputs.push(await consume(options.router!, track.producer, options.ports));
      for (const [index, tile] of tiles.entries()) {
        const { width, height } = tile.rect;
        const plan = {
          sdpFile: WORK_FILES.tileSdp(run, index),
          frameFile: WORK_FILES.tileFrame(run, index),
          width,
          height,
          fit: tile.fit,
        };
        const sdp = buildSdp([sdpStreamOf(inputs[tile.input]!)]);
        feeds.push(await TileFeed.start({ dir, plan, sdp, ffmpegPath }));
      }
    } catch (error) {
      await Promise.all(feeds.map((feed) => feed.close()));
      for (const input of inputs) closeInput(input, options.ports);
      throw error;
    }
    const pipeline = new Pipeline(options, inputs, feeds);
    try {
      await pipeline.#start(tiles, ffmpegPath);
      return pipeline;
    } catch (error) {
      await pipeline.close();
      throw error;
    }
  }

  get pid(): number | undefined {
    return this.#process?.pid;
  }

  get running(): boolean {
    return !this.#closing && this.#processes.every((process) => process.running);
  }

  get lastSegmentAt(): number | undefined {
    return this.#lastSegmentAt;
  }

  /** What the composite, then each tile feed, last wrote to stderr. */
  get stderrTail(): string {
    const feeds = this.#feeds.map((feed) => feed.process.stderrTail && `tile feed: ${feed.process.stderrTail}`);
    return [this.#process?.stderrTail, ...feeds].filter(Boolean).join('\n');
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutDown();
    return this.#closing;
  }

  get #processes(): FfmpegProcess[] {
    return [...(this.#process ? [this.#process] : []), ...this.#feeds.map((feed) => feed.process)];
  }

  async #start(tiles: readonly Tile[], ffmpegPath: string): Promise<void> {
    const { spec, run } = this;
    for (const { consumer } of this.#inputs) {
      for (const event of ['producerclose', 'producerpause', 'producerresume', 'transportclose'] as const) {
        consumer.on(event, () => this.emit('inputchange'));
      }
    }
    for (const feed of this.#feeds) feed.process.on('exit', () => this.#exited());
    // Consumers start paused, so nothing reaches FFmpeg's ports before it reads the SDP.
    const videos = this.#inputs.slice(0, spec.video.length);
    const audios = this.#inputs.slice(spec.video.length);
    resume(videos);
    const requestKeyFrames = () => {
      for (const { consumer } of videos) if (!consumer.closed) consumer.requestKeyFrame().catch(() => undefined);
    };
    if (videos.length > 0) {
      for (const at of KEYFRAME_WARMUP_MS) this.#timers.push(setTimeout(requestKeyFrames, at));
      this.#timers.push(setInterval(requestKeyFrames, KEYFRAME_INTERVAL_MS));
    }
    await Promise.all(this.#feeds.map((feed) => feed.firstPicture(FIRST_PICTURE_WAIT_MS)));
    const stopped = this.#feeds.find((feed) => !feed.process.running);
    if (stopped) throw new Error(`a tile feed stopped: ${stopped.process.stderrTail || 'no message'}`);

    const labelFiles = await Promise.all(
      tiles.map(async (tile, index) => {
        const track = spec.video[tile.input]!;
        if (track.source !== 'camera') return undefined;
        const file = WORK_FILES.label(run, index);
        await writeFileAtomically(join(this.#dir, file), oneLine(track.speakerName));
        return file;
      }),
    );
    const audioSdp = WORK_FILES.sdp(run);
    if (audios.length > 0) await writeFileAtomically(join(this.#dir, audioSdp), buildSdp(audios.map(sdpStreamOf)));
    const args = ffmpegArgs({
      run,
      segmentSeconds: this.#segmentSeconds,
      tiles: tiles.map((tile, index) => ({
        frameFile: WORK_FILES.tileFrame(run, index),
        rect: tile.rect,
        labelFile: labelFiles[index],
      })),
      audio: audios.length > 0 ? { sdpFile: audioSdp, streams: audios.length } : undefined,
      slate: { titleFile: WORK_FILES.title, statusFile: WORK_FILES.slate(spec.slate) },
      lowerThird: spec.lowerThird
        ? { headingFile: WORK_FILES.lowerHeading, bodyFile: WORK_FILES.lowerBody }
        : undefined,
    });
    this.#process = FfmpegProcess.spawn(ffmpegPath, args, this.#dir);
    this.#process.on('exit', () => this.#exited());
    resume(audios);
    this.#timers.push(setInterval(() => void this.#poll(), POLL_MS));
  }

  #exited(): void {
    if (!this.#closing) this.emit('exit');
  }

  async #shutDown(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    await this.#process?.stop();
    await this.#polling;
    await this.#poll();
    await Promise.all(this.#feeds.map((feed) => feed.close()));
    for (const input of this.#inputs) closeInput(input, this.#ports);
    await unlink(join(this.#dir, WORK_FILES.sdp(this.run))).catch(() => undefined);
  }

  /** Reads the run's playlist when it changed and reports the new segments. */
  #poll(): Promise<void> {
    if (this.#polling) return this.#polling;
    this.#polling = (async () => {
      const path = join(this.#dir, runFileName.playlist(this.run));
      try {
        const stats = await stat(path);
        const stamp = `${stats.mtimeMs}:${stats.size}`;
        if (stamp === this.#playlistStamp) return;
        this.#playlistStamp = stamp;
        const segments = parseMediaPlaylist(await readFile(path, 'utf8')).runs.flatMap((run) => run.segments);
        const fresh = segments.slice(this.#segmentsTaken);
        if (fresh.length === 0) return;
        this.#segmentsTaken = segments.length;
        this.#lastSegmentAt = Date.now();
        this.emit('segments', fresh);
      } catch {
        // no playlist yet
      }
    })().finally(() => (this.#polling = undefined));
    return this.#polling;
  }
}

export async function consume(router: types.Router, producer: types.Producer, ports: PortAllocator): Promise<RtpInput> {
  const port = await ports.allocate();
  let transport: types.PlainTransport | undefined;
  try {
    transport = await router.createPlainTransport({ listenIp: '127.0.0.1', rtcpMux: false, comedia: false });
    await transport.connect({ ip: '127.0.0.1', port, rtcpPort: port + 1 });
    const consumer = await transport.consume({
      producerId: producer.id,
      rtpCapabilities: bareCapabilities(producer),
      paused: true,
    });
    return { transport, consumer, port };
  } catch (error) {
    transport?.close();
    ports.release(port);
    throw error;
  }
}

/**
 * The producer's own codec with NACK and FIR, no header extensions and no RTX. With the router's
 * full capabilities mediasoup would probe bandwidth and send probation packets into FFmpeg's port.
 */
function bareCapabilities(producer: types.Producer): types.RtpCapabilities {
  const codec = producer.rtpParameters.codecs.find((c) => !/\/(rtx|red|ulpfec|flexfec)$/i.test(c.mimeType));
  if (!codec) throw new Error(`producer ${producer.id} has no media codec`);
  return {
    codecs: [
      {
        kind: producer.kind,
        mimeType: codec.mimeType,
        clockRate: codec.clockRate,
        ...(codec.channels ? { channels: codec.channels } : {}),
        parameters: codec.parameters ?? {},
        rtcpFeedback: producer.kind === 'video' ? [{ type: 'nack' }, { type: 'ccm', parameter: 'fir' }] : [],
      },
    ],
    headerExtensions: [],
  };
}

export function sdpStreamOf({ consumer, port }: RtpInput): SdpStream {
  const codec = consumer.rtpParameters.codecs[0]!;
  return {
    kind: consumer.kind,
    port,
    rtcpPort: port + 1,
    payloadType: codec.payloadType,
    mimeType: codec.mimeType,
    clockRate: codec.clockRate,
    channels: codec.channels,
    parameters: codec.parameters,
  };
}

export function resume(inputs: readonly RtpInput[]): void {
  for (const { consumer } of inputs) consumer.resume().catch(() => undefined);
}

export function closeInput({ transport, port }: RtpInput, ports: PortAllocator): void {
  transport.close();
  ports.release(port);
}
