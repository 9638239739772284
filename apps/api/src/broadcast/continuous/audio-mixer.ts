import { PCM } from './composite-command';

export interface AudioMixerOptions {
  /** A source starts (and restarts after running dry) once it has this much queued: absorbs jitter. */
  prebufferFrames?: number;
  /** More than this queued (a source faster than the clock, or a stall): the oldest is dropped. */
  maxQueuedFrames?: number;
  /**
   * More than this still queued after a mix (a burst after a late delivery): the source catches up by
   * dropping a little each mix, so a speaker's sound does not stay late behind their picture.
   */
  standingFrames?: number;
}

/** 60 ms: two Opus packets. */
export const DEFAULT_PREBUFFER_FRAMES = (PCM.rate * 60) / 1000;
/** 300 ms: the most a speaker's sound can lag behind. */
export const DEFAULT_MAX_QUEUED_FRAMES = (PCM.rate * 300) / 1000;
/** 90 ms: the prebuffer and some jitter; a source queued beyond it after a mix is caught up. */
export const DEFAULT_STANDING_FRAMES = (PCM.rate * 90) / 1000;
/** A source catching up drops at most this share of each mix (a quarter: a 200 ms lag is gone in ~0.5 s). */
const CATCH_UP_SHARE = 4;

const SAMPLES_PER_FRAME = PCM.channels;
const BYTES_PER_SAMPLE = PCM.bytesPerFrame / PCM.channels;

interface Source {
  chunks: Int16Array[];
  /** Samples of chunks[0] already used. */
  offset: number;
  /** Samples queued. */
  queued: number;
  playing: boolean;
  gain: number;
}

/**
 * The program's sound, mixed in Node: each speaker's PCM (s16le stereo 48 kHz, decoded by a small FFmpeg
 * of its own) queued per source, and `mix(frames)` called at the wall clock's pace sums what each source
 * has, silence for a source that has nothing yet. Speakers come and go (`add`/`remove`) without the
 * composite noticing; a source's gain mutes or attenuates it.
 */
export class AudioMixer {
  readonly #sources = new Map<string, Source>();
  readonly #prebuffer: number;
  readonly #maxQueued: number;
  readonly #standing: number;

  constructor(options: AudioMixerOptions = {}) {
    this.#prebuffer = (options.prebufferFrames ?? DEFAULT_PREBUFFER_FRAMES) * SAMPLES_PER_FRAME;
    this.#maxQueued = (options.maxQueuedFrames ?? DEFAULT_MAX_QUEUED_FRAMES) * SAMPLES_PER_FRAME;
    this.#standing =
      (options.standingFrames ?? Math.max(DEFAULT_STANDING_FRAMES, options.prebufferFrames ?? 0)) * SAMPLES_PER_FRAME;
    if (this.#maxQueued < this.#prebuffer) throw new Error('the queue must hold at least the prebuffer');
    if (this.#standing < this.#prebuffer) throw new Error('the standing queue must hold at least the prebuffer');
  }

  get sourceIds(): string[] {
    return [...this.#sources.keys()];
  }

  add(id: string): void {
    if (this.#sources.has(id)) throw new Error(`audio source ${id} is already mixed`);
    this.#sources.set(id, { chunks: [], offset: 0, queued: 0, playing: false, gain: 1 });
  }

  remove(id: string): void {
    this.#sources.delete(id);
  }

  /** 0 mutes, 1 as is; up to 4. */
  setGain(id: string, gain: number): void {
    if (!Number.isFinite(gain) || gain < 0 || gain > 4) throw new Error(`gain out of range: ${gain}`);
    const source = this.#sources.get(id);
    if (source) source.gain = gain;
  }

  /** Queues a source's PCM (whole frames; a trailing partial frame is dropped). Unknown ids are ignored. */
  push(id: string, pcm: Uint8Array): void {
    const source = this.#sources.get(id);
    if (!source) return;
    const samples = Math.floor(pcm.byteLength / PCM.bytesPerFrame) * SAMPLES_PER_FRAME;
    if (samples === 0) return;
    // Copy: the caller's buffer may be reused, and may not be 2-byte aligned.
    const chunk = new Int16Array(samples);
    Buffer.from(chunk.buffer).set(pcm.subarray(0, samples * BYTES_PER_SAMPLE));
    source.chunks.push(chunk);
    source.queued += samples;
    if (source.queued > this.#maxQueued) skip(source, source.queued - this.#maxQueued);
  }

  /** The next `frames` of the program's sound as s16le stereo. */
  mix(frames: number): Buffer {
    const samples = frames * SAMPLES_PER_FRAME;
    const sum = new Int32Array(samples);
    for (const source of this.#sources.values()) {
      if (!source.playing) {
        if (source.queued < this.#prebuffer) continue;
        source.playing = true;
      }
      let written = 0;
      while (written < samples && source.chunks.length > 0) {
        const chunk = source.chunks[0]!;
        const take = Math.min(samples - written, chunk.length - source.offset);
        for (let i = 0; i < take; i++) sum[written + i]! += chunk[source.offset + i]! * source.gain;
        written += take;
        source.offset += take;
        source.queued -= take;
        if (source.offset === chunk.length) {
          source.chunks.shift();
          source.offset = 0;
        }
      }
      // Ran dry: wait for a prebuffer again rather than play every packet the moment it comes.
      if (written < samples) source.playing = false;
      const excess = source.queued - this.#standing;
      if (excess > 0) skip(source, Math.min(excess, Math.floor(frames / CATCH_UP_SHARE) * SAMPLES_PER_FRAME));
    }
    const out = Buffer.alloc(samples * BYTES_PER_SAMPLE);
    for (let i = 0; i < samples; i++) out.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(sum[i]!))), i * 2);
    return out;
  }
}

function skip(source: Source, samples: number): void {
  let left = samples - (samples % SAMPLES_PER_FRAME);
  while (left > 0 && source.chunks.length > 0) {
    const chunk = source.chunks[0]!;
    const take = Math.min(left, chunk.length - source.offset);
    source.offset += take;
    source.queued -= take;
    left -= take;
    if (source.offset === chunk.length) {
      source.chunks.shift();
      source.offset = 0;
    }
  }
}
