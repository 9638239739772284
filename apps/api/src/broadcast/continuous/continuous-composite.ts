import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { blankPicture } from '../blank-picture';
import { oneLine, writeFileAtomically, type LowerThirdText } from '../overlay-text';
import { slateTitleTexts } from '../slate-title';
import { AudioMixer, type AudioMixerOptions } from './audio-mixer';
import {
  voiceFd,
  AUDIO_FD,
  compositeArgs,
  compositeFiles,
  PCM,
  SLOTS,
  TOP_RENDITION_ONLY,
  type CompositeFiles,
  type SlotSpec,
} from './composite-command';
import { CompositeControl } from './composite-control';
import {
  assignSlots,
  INITIAL_SCENE,
  sceneCommands,
  sizesAfter,
  type ProgramVideo,
  type Scene,
  type Size,
} from './composite-layout';
import { renditionFileName, renditionNames, type Ladder, type RenditionName } from './renditions';

/** FFmpeg must have opened its inputs and started its clock within this. */
export const START_TIMEOUT_MS = 20_000;
/** On close, how long FFmpeg may take to catch up with the wall clock before it is stopped anyway. */
export const CATCH_UP_MS = 3_000;
/** After each SIGINT, before the next step (a second SIGINT, then SIGKILL). */
const STOP_GRACE_MS = 1_500;
/** How often the sound is written: the mixer's granularity. */
const AUDIO_TICK_MS = 20;
/** Written at once so FFmpeg can open the sound's pipe (it reads a little before its clock starts). */
const PRIMER_FRAMES = 1_024;
const STDERR_LINES = 40;
/** 5 s of sound waiting for FFmpeg to read it. */
const MAX_UNREAD_AUDIO_BYTES = 5 * PCM.rate * PCM.bytesPerFrame;
/** sun_path's size on Linux, NUL included. */
const MAX_IPC_PATH = 107;
const LABEL_CHARS = 40;
/** The slate's status line (the title wraps: slate-title.ts). */
const SLATE_CHARS = 80;

export interface SlateText {
  title: string;
  status: string;
}

export interface ProgramTile extends ProgramVideo {
  /** Drawn at the tile's bottom left (a speaker's name); empty or absent: none. */
  label?: string;
  /**
   * Its feed already writes the picture of the slot it gets (started before the change, while the slot was
   * hidden, so the tile shows up with a picture): that slot is not blanked.
   */
  keepPicture?: boolean;
}

/**
 * Where a video's tile feed writes its pictures (slot-feed.ts): the file, its fixed size and fit. The file
 * must only ever be REPLACED (written beside, then renamed over, as FFmpeg's `-atomic_writing 1` and
 * writeFileAtomically do), never deleted: FFmpeg's image2 input ends for good when it cannot open it, and
 * the slot then shows its last picture for the rest of the event (measured on FFmpeg 5.1): SlotFeed.close()
 * leaves it.
 */
export interface TileTarget {
  id: string;
  slot: number;
  /** Relative to the composite's directory, like TileFeedPlan.frameFile. */
  pictureFile: string;
  width: number;
  height: number;
  fit: SlotSpec['fit'];
}

export interface ContinuousCompositeOptions {
  ffmpegPath: string;
  /** The broadcast's directory: FFmpeg's cwd; the playlist, segments and work files go there. */
  dir: string;
  /** Names the HLS files (hls-playlist.ts's runFileName), so the public playlist can list this run. */
  run: number;
  slate: SlateText;
  segmentSeconds?: number;
  /** The video renditions it makes (the top one alone when absent: composite-command.ts). */
  ladder?: Ladder;
  /** How many segments FFmpeg's own playlists list (composite-command.ts's CompositePlan). */
  runListSize?: number;
  /** Interpretation languages: each an audio rendition, its interpreters' voice over the ducked floor. */
  interpretations?: readonly string[];
  mixer?: AudioMixerOptions;
}

export type ContinuousCompositeEvents = {
  /** FFmpeg is gone: after close(), or on its own (then the owner decides what comes next). */
  exit: [code: number | null, signal: NodeJS.Signals | null];
  /** A slot's picture file could not be opened: that slot is frozen until the composite is replaced. */
  slotLost: [slot: number];
};

interface Started {
  child: ChildProcess;
  stderr: string[];
  exited: Promise<void>;
  /** Epoch ms, for the world; and performance.now() of the same instant, to pace by (immune to clock steps). */
  clockStart: number;
  clockStartMonotonic: number;
  /** Each line FFmpeg writes to stderr from now on. */
  lines: { onLine?: (line: string) => void };
}

const SLOT_LOST = /Could not open file : work\/c\d+-slot-(\d+)\.pgmyuv/;

/**
 * One FFmpeg composite that runs for a whole event (composite-command.ts): the slate, the speakers' grid,
 * a screen share as the main tile, the lower third and the ended slate are states of the same encode,
 * switched within a frame or two by filter commands; the sound is mixed here and written at the wall
 * clock's pace. So there is one init segment, no discontinuity and no lost second when speakers come and go.
 */
export class ContinuousComposite extends EventEmitter<ContinuousCompositeEvents> {
  readonly #dir: string;
  readonly #run: number;
  readonly #renditions: RenditionName[];
  readonly #files: CompositeFiles;
  readonly #child: ChildProcess;
  readonly #audio: Writable;
  readonly #control: CompositeControl;
  readonly #mixer: AudioMixer;
  /** Per interpretation language: its interpreters' voices, mixed and written into their own pipe. */
  readonly #voices = new Map<string, { pipe: Writable; mixer: AudioMixer }>();
  readonly #stderr: string[];
  readonly #exited: Promise<void>;
  readonly #clockStart: number;
  readonly #clockStartMonotonic: number;
  #audioTimer?: NodeJS.Timeout;
  #framesWritten = PRIMER_FRAMES;
  #mediaSeconds = 0;
  #running = true;
  /** What FFmpeg shows; undefined after a batch that failed half-way (the next one sends everything). */
  #scene: Scene | undefined = INITIAL_SCENE;
  #sizes: Size[] | undefined = SLOTS.map((slot) => ({ width: slot.width, height: slot.height }));
  #slotOf = new Map<string, number>();
  #changes: Promise<unknown> = Promise.resolve();
  #closing?: Promise<void>;
  #stoppedAt?: number;

  private constructor(options: ContinuousCompositeOptions, started: Started) {
    super();
    this.#dir = options.dir;
    this.#run = options.run;
    this.#renditions = renditionNames(options.ladder ?? TOP_RENDITION_ONLY, options.interpretations);
    this.#files = compositeFiles(options.run);
    this.#child = started.child;
    this.#audio = started.child.stdio[AUDIO_FD] as Writable;
    this.#stderr = started.stderr;
    this.#exited = started.exited;
    this.#clockStart = started.clockStart;
    this.#clockStartMonotonic = started.clockStartMonotonic;
    this.#mixer = new AudioMixer(options.mixer);
    (options.interpretations ?? []).forEach((language, i) => {
      this.#voices.set(language, {
        pipe: started.child.stdio[voiceFd(i)] as Writable,
        mixer: new AudioMixer(options.mixer),
      });
    });
    this.#control = new CompositeControl(`ipc://${join(options.dir, this.#files.control)}`);
    started.lines.onLine = (line) => {
      const lost = SLOT_LOST.exec(line);
      if (lost) this.emit('slotLost', Number(lost[1]));
    };
    let progress = '';
    (started.child.stdout as Readable).setEncoding('utf8').on('data', (chunk: string) => {
      // `-progress`: key=value lines; a chunk may end mid-line.
      const lines = (progress + chunk).split('\n');
      progress = lines.pop() ?? '';
      for (const line of lines) {
        const time = /^out_time_us=(\d+)$/.exec(line);
        if (time) this.#mediaSeconds = Number(time[1]) / 1e6;
      }
    });
    void this.#exited.then(() => {
      this.#running = false;
      this.#stopAudio();
      this.#control.close();
      this.emit('exit', started.child.exitCode, started.child.signalCode);
    });
    this.#audioTimer = setInterval(() => this.#writeAudio(), AUDIO_TICK_MS);
  }

  /** Writes the slot pictures and texts, starts FFmpeg on the slate and waits until its clock runs. */
  static async create(options: ContinuousCompositeOptions): Promise<ContinuousComposite> {
    const { dir } = options;
    const files = compositeFiles(options.run);
    const control = join(dir, files.control);
    if (Buffer.byteLength(control) > MAX_IPC_PATH) throw new Error(`control socket path too long: ${control}`);
    await mkdir(join(dir, 'work'), { recursive: true });
    await rm(control, { force: true });
    await Promise.all([
      ...SLOTS.flatMap((slot) => [
        writeFileAtomically(join(dir, files.picture(slot.index)), blankPicture(slot.width, slot.height)),
        writeFileAtomically(join(dir, files.label(slot.index)), ''),
      ]),
      writeSlate(dir, files, options.slate),
      writeFileAtomically(join(dir, files.lowerHeading), ''),
      writeFileAtomically(join(dir, files.lowerBody), ''),
    ]);

    const child = spawn(options.ffmpegPath, compositeArgs(options), {
      cwd: dir,
      // Its own process group: a Ctrl-C in the terminal reaches the API, which stops FFmpeg in order.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe', ...(options.interpretations ?? []).map(() => 'pipe' as const)],
    });
    for (let fd = AUDIO_FD; fd <= AUDIO_FD + (options.interpretations?.length ?? 0); fd++) {
      const audio = child.stdio[fd] as Writable;
      audio.on('error', () => undefined); // EPIPE once FFmpeg is gone: its exit is what counts.
      audio.write(Buffer.alloc(PRIMER_FRAMES * PCM.bytesPerFrame));
    }
    const stderr: string[] = [];
    const listener: Started['lines'] = {};
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', (error) => {
        stderr.push(error.message);
        resolve();
      });
    });
    const clockStarted = new Promise<{ epoch: number; monotonic: number }>((resolve) => {
      let partial = '';
      (child.stderr as Readable).setEncoding('utf8').on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) {
          if (line.startsWith('Stream mapping:')) resolve({ epoch: Date.now(), monotonic: performance.now() });
          listener.onLine?.(line);
          // Two lines a segment at `info`: not worth keeping.
          if (!line || /Opening '.*' for writing/.test(line)) continue;
          stderr.push(line);
        }
        stderr.splice(0, Math.max(0, stderr.length - STDERR_LINES));
      });
    });
    let timer: NodeJS.Timeout | undefined;
    const clock = await Promise.race([
      clockStarted,
      exited.then(() => undefined),
      new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), START_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    if (clock === undefined) {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`the composite did not start:\n${stderr.join('\n')}`);
    }
    return new ContinuousComposite(options, {
      child,
      stderr,
      exited,
      clockStart: clock.epoch,
      clockStartMonotonic: clock.monotonic,
      lines: listener,
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get running(): boolean {
    return this.#running;
  }

  /** When FFmpeg's clock started (epoch ms): the media time 0 of the playlist. */
  get clockStart(): number {
    return this.#clockStart;
  }

  /** How far FFmpeg has written, media seconds (updated every 250 ms). */
  get mediaSeconds(): number {
    return this.#mediaSeconds;
  }

  /**
   * How far FFmpeg's output is behind the wall clock, seconds (about 0.1–0.3 when healthy): a watchdog's
   * measure — growing for seconds means FFmpeg is stuck or starved.
   */
  get behindSeconds(): number {
    return this.#elapsedSeconds() - this.#mediaSeconds;
  }

  /** When close() asked FFmpeg to stop (epoch ms): the media's end in wall-clock time. */
  get stoppedAt(): number | undefined {
    return this.#stoppedAt;
  }

  /** Its renditions, the top video one first, the audio-only one last. */
  get renditions(): readonly RenditionName[] {
    return this.#renditions;
  }

  /** FFmpeg's own playlist of the top rendition of this run. */
  get playlistFile(): string {
    return this.playlistFileOf(this.#renditions[0]!);
  }

  /** FFmpeg's own playlist of a rendition of this run. */
  playlistFileOf(rendition: RenditionName): string {
    return join(this.#dir, renditionFileName.playlist(this.#run, rendition));
  }

  get stderrTail(): string {
    return this.#stderr.join('\n');
  }

  /** The slate (before the program, or between speakers): its texts, every tile hidden. */
  showSlate(text: SlateText): Promise<void> {
    return this.#change(async () => {
      await writeSlate(this.#dir, this.#files, text);
      this.#slotOf = new Map();
      await this.#show({ ...this.#current(), slate: true, slots: SLOTS.map(() => undefined) });
    });
  }

  /** New slate texts (a renamed event), whatever shows now: the slate's drawtexts re-read them every frame. */
  setSlateText(text: SlateText): Promise<void> {
    return this.#change(() => writeSlate(this.#dir, this.#files, text));
  }

  /**
   * The speakers' videos (layout.ts decides where), each told which picture file its tile feed writes.
   * A video whose slot is new to it starts on a blank picture (never the previous speaker's last one).
   * No video: the slate as it was last written.
   */
  setProgram(tiles: readonly ProgramTile[]): Promise<TileTarget[]> {
    if (new Set(tiles.map((tile) => tile.id)).size !== tiles.length) {
      return Promise.reject(new Error('a video is in the program twice'));
    }
    return this.#change(async () => {
      const { assignments, placements } = assignSlots(tiles, this.#slotOf);
      const labels = new Map(tiles.map((tile) => [tile.id, tile.label ?? '']));
      const kept = new Set(tiles.flatMap((tile) => (tile.keepPicture ? [tile.id] : [])));
      await Promise.all(
        assignments.flatMap(({ id, slot }) => [
          writeFileAtomically(join(this.#dir, this.#files.label(slot.index)), label(labels.get(id) ?? '')),
          ...(this.#slotOf.get(id) === slot.index || kept.has(id)
            ? []
            : [
                writeFileAtomically(
                  join(this.#dir, this.#files.picture(slot.index)),
                  blankPicture(slot.width, slot.height),
                ),
              ]),
        ]),
      );
      this.#slotOf = new Map(assignments.map(({ id, slot }) => [id, slot.index]));
      // A signer alone (no speaker yet, or none left) is shown over the slate.
      const speakers = assignments.filter(({ slot }) => slot.kind !== 'signer');
      await this.#show({ ...this.#current(), slate: speakers.length === 0, slots: placements });
      return assignments.map(({ id, slot }) => ({
        id,
        slot: slot.index,
        pictureFile: this.#files.picture(slot.index),
        width: slot.width,
        height: slot.height,
        // A screen in a camera slot (a second share, in the side column) is letterboxed all the same.
        fit: tiles.find((tile) => tile.id === id)?.source === 'screen' ? 'contain' : slot.fit,
      }));
    });
  }

  /** Shows the lower third with this text (rewritten in place when already shown); null hides it. */
  setLowerThird(text: LowerThirdText | null): Promise<void> {
    return this.#change(async () => {
      if (text) {
        await Promise.all([
          writeFileAtomically(join(this.#dir, this.#files.lowerHeading), text.heading),
          writeFileAtomically(join(this.#dir, this.#files.lowerBody), text.body),
        ]);
      }
      await this.#show({ ...this.#current(), lowerThird: text !== null });
    });
  }

  /** The ended slate: the program is over, the encode goes on until close(). */
  end(text: SlateText): Promise<void> {
    return this.#change(async () => {
      await writeSlate(this.#dir, this.#files, text);
      this.#slotOf = new Map();
      await this.#show({ slate: true, lowerThird: false, slots: SLOTS.map(() => undefined) });
    });
  }

  /** A speaker's sound joins the mix; feed it with pushAudio (s16le stereo 48 kHz). */
  addAudio(id: string): void {
    this.#mixer.add(id);
  }

  pushAudio(id: string, pcm: Uint8Array): void {
    this.#mixer.push(id, pcm);
  }

  setAudioGain(id: string, gain: number): void {
    this.#mixer.setGain(id, gain);
  }

  removeAudio(id: string): void {
    this.#mixer.remove(id);
  }

  /** The interpretation languages this composite makes renditions of. */
  get interpretations(): string[] {
    return [...this.#voices.keys()];
  }

  /** An interpreter's voice joins their language's rendition; false when the composite has none for it. */
  addVoice(language: string, id: string): boolean {
    const voice = this.#voices.get(language);
    voice?.mixer.add(id);
    return voice !== undefined;
  }

  pushVoice(language: string, id: string, pcm: Uint8Array): void {
    this.#voices.get(language)?.mixer.push(id, pcm);
  }

  removeVoice(language: string, id: string): void {
    this.#voices.get(language)?.mixer.remove(id);
  }

  /**
   * Lets FFmpeg catch up with the wall clock (a loaded machine may have it a little behind), then stops
   * it so it finishes its files (SIGINT, again, then SIGKILL). Safe twice.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      const deadline = Date.now() + CATCH_UP_MS;
      while (this.#running && Date.now() < deadline) {
        if (this.behindSeconds < 0.3) break;
        await delay(100);
      }
      this.#stoppedAt = Date.now();
      for (const signal of ['SIGINT', 'SIGINT', 'SIGKILL'] as const) {
        if (!this.#running) break;
        this.#child.kill(signal);
        await Promise.race([this.#exited, delay(signal === 'SIGKILL' ? STOP_GRACE_MS * 2 : STOP_GRACE_MS)]);
      }
      this.#stopAudio();
      this.#control.close();
      await rm(join(this.#dir, this.#files.control), { force: true });
    })();
    return this.#closing;
  }

  /** The sound due by now (from FFmpeg's clock start), mixed; FFmpeg's timestamps count its samples. */
  #writeAudio(): void {
    if (!this.#running) return;
    const due = Math.floor(this.#elapsedSeconds() * PCM.rate);
    const frames = due - this.#framesWritten;
    if (frames <= 0) return;
    this.#framesWritten = due;
    const pcm = this.#mixer.mix(frames);
    // FFmpeg not reading for seconds (stuck; its owner will replace it): do not pile its sound up here.
    if (this.#audio.writableLength <= MAX_UNREAD_AUDIO_BYTES) this.#audio.write(pcm);
    for (const { pipe, mixer } of this.#voices.values()) {
      const voice = mixer.mix(frames);
      if (pipe.writableLength <= MAX_UNREAD_AUDIO_BYTES) pipe.write(voice);
    }
  }

  /** Seconds since FFmpeg's clock started, on the monotonic clock. */
  #elapsedSeconds(): number {
    return (performance.now() - this.#clockStartMonotonic) / 1000;
  }

  #stopAudio(): void {
    clearInterval(this.#audioTimer);
    this.#audioTimer = undefined;
    if (!this.#audio.destroyed) this.#audio.destroy();
    for (const { pipe } of this.#voices.values()) if (!pipe.destroyed) pipe.destroy();
  }

  #current(): Scene {
    return this.#scene ?? INITIAL_SCENE;
  }

  /** Changes one after the other: each computes its commands from the scene the previous one left. */
  #change<T>(change: () => Promise<T>): Promise<T> {
    const run = this.#changes.then(() => {
      if (this.#closing || !this.#running) throw new Error('the composite is closed');
      return change();
    });
    this.#changes = run.catch(() => undefined);
    return run;
  }

  async #show(scene: Scene): Promise<void> {
    const commands = sceneCommands(this.#scene, scene, this.#sizes);
    const sizes = sizesAfter(scene, this.#sizes ?? []);
    this.#scene = undefined;
    this.#sizes = undefined;
    await this.#control.send(commands);
    this.#scene = scene;
    this.#sizes = sizes;
  }
}

/**
 * The title's lines (slate-title.ts), each in the file its drawtext re-reads every frame: the lines that
 * go empty first, so that a title changing its number of lines never shows over the one it replaces.
 */
async function writeSlate(dir: string, files: CompositeFiles, text: SlateText): Promise<void> {
  const lines = slateTitleTexts(oneLine(text.title)).map((line, index) => ({ line, file: files.slateTitle(index) }));
  await Promise.all(lines.filter(({ line }) => !line).map(({ file }) => writeFileAtomically(join(dir, file), '')));
  await Promise.all([
    ...lines.filter(({ line }) => line).map(({ line, file }) => writeFileAtomically(join(dir, file), line)),
    writeFileAtomically(join(dir, files.slateStatus), truncate(oneLine(text.status), SLATE_CHARS)),
  ]);
}

const label = (text: string) => truncate(oneLine(text), LABEL_CHARS);

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
