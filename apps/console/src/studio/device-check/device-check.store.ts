import { computed, inject, Injectable, signal } from '@angular/core';
import { AudioLevel } from './audio-level';
import { DevicePreferences } from './device-preferences';
import {
  DeviceError,
  MediaDevices,
  type DeviceLists,
  type DeviceProblem,
  type DeviceRequest,
  type DeviceWish,
  type LocalSource,
  type OpenedTracks,
} from './media-devices';

export type TestSoundState = 'idle' | 'playing' | 'played' | 'failed';

/** A device the speaker chose that could not be opened; the one before it stays in use. */
export interface SwitchFailure {
  source: LocalSource;
  problem: DeviceProblem;
}

const NO_DEVICES: DeviceLists = { cameras: [], microphones: [], speakers: [] };
const SOURCES: readonly LocalSource[] = ['microphone', 'camera'];
/** A level the fake silence of an idle room never reaches, and a voice always does. */
const HEARD_LEVEL = 0.25;

/**
 * The speaker's camera, microphone and speakers: opens them, lets the speaker choose others (before
 * joining and on stage), measures the microphone, and keeps the tracks the studio sends. Opening the
 * camera and microphone together asks once; when that fails, each is tried alone so that one missing
 * or blocked device does not keep the other from working. The devices chosen are remembered for the
 * next visit.
 */
@Injectable({ providedIn: 'root' })
export class DeviceCheckStore {
  readonly #media = inject(MediaDevices);
  readonly #audioLevel = inject(AudioLevel);
  readonly #preferences = inject(DevicePreferences);

  readonly #status = signal<'idle' | 'starting' | 'ready'>('idle');
  readonly #devices = signal<DeviceLists>(NO_DEVICES);
  readonly #tracks = signal<OpenedTracks>({});
  readonly #problems = signal<Partial<Record<LocalSource, DeviceProblem>>>({});
  /** The device being opened per source, shown as selected meanwhile. */
  readonly #choosing = signal<Partial<Record<LocalSource, string>>>({});
  readonly #switchFailure = signal<SwitchFailure | null>(null);
  readonly #speakerId = signal<string | null>(null);
  readonly #level = signal(0);
  readonly #heard = signal(false);
  readonly #testSound = signal<TestSoundState>('idle');
  /** What this visit needs: a speaker both, an interpreter the microphone, a signer the camera, a captioner none. */
  readonly #sources = signal<readonly LocalSource[]>(SOURCES);

  readonly status = this.#status.asReadonly();
  readonly devices = this.#devices.asReadonly();
  readonly problems = this.#problems.asReadonly();
  readonly microphone = computed(() => this.#tracks().microphone ?? null);
  readonly camera = computed(() => this.#tracks().camera ?? null);
  /** The devices in use, or being switched to; null: the browser's default. */
  readonly selected = computed(() => ({
    microphone: this.#choosing().microphone ?? this.microphone()?.getSettings().deviceId ?? null,
    camera: this.#choosing().camera ?? this.camera()?.getSettings().deviceId ?? null,
    speaker: this.#speakerId(),
  }));
  /** The last device chosen could not be opened (until the next choice). */
  readonly switchFailure = this.#switchFailure.asReadonly();
  readonly speakerId = this.#speakerId.asReadonly();
  /** The microphone's loudness, 0…1. */
  readonly level = this.#level.asReadonly();
  /** The microphone picked up a voice since it was opened. */
  readonly heard = this.#heard.asReadonly();
  readonly testSound = this.#testSound.asReadonly();
  readonly canChooseSpeaker = this.#media.canChooseSpeaker;
  /** The devices this visit opens (`start`). */
  readonly sources = this.#sources.asReadonly();
  /**
   * A speaker may join with a microphone, a camera, or both; a crew member with the one device their job
   * needs; a captioner with none.
   */
  readonly canJoin = computed(
    () =>
      this.#status() === 'ready' &&
      (this.#sources().length === 0 || this.#sources().some((source) => !!this.#tracks()[source])),
  );

  /** Bumped by `stop()`: an opening that finishes after it lets its tracks go. */
  #generation = 0;
  #stopLevel: (() => void) | undefined;
  #stopWatchingDevices: (() => void) | undefined;

  /**
   * Opens the camera and microphone chosen on an earlier visit where they are still there, else the
   * default ones (once; `retry()` asks again for what failed).
   */
  async start(sources: readonly LocalSource[] = SOURCES): Promise<void> {
    if (this.#status() !== 'idle') return;
    this.#status.set('starting');
    this.#sources.set(sources);
    const generation = this.#generation;
    const opened =
      sources.length === 0
        ? { tracks: {}, problems: {} }
        : await this.#open(Object.fromEntries(sources.map((source) => [source, this.#remembered(source)])));
    if (generation !== this.#generation) return stopTracks(opened.tracks);
    this.#problems.set(opened.problems);
    for (const source of sources) this.#use(source, opened.tracks[source] ?? null);
    this.#stopWatchingDevices = this.#media.onChange(() => void this.#refreshDevices());
    await this.#refreshDevices();
    if (generation !== this.#generation) return;
    const speaker = this.#preferences.read().speaker;
    if (this.#devices().speakers.some((option) => option.deviceId === speaker)) this.#speakerId.set(speaker!);
    this.#status.set('ready');
  }

  /** Asks again for the devices that failed (after the speaker allowed them, or plugged one in). */
  async retry(): Promise<void> {
    const failed = this.#sources().filter((source) => this.#problems()[source]);
    if (failed.length === 0 || this.#status() !== 'ready') return;
    const generation = this.#generation;
    const opened = await this.#open(Object.fromEntries(failed.map((source) => [source, this.#remembered(source)])));
    if (generation !== this.#generation) return stopTracks(opened.tracks);
    this.#problems.update((problems) => {
      const next = { ...problems };
      for (const source of failed) next[source] = opened.problems[source];
      return next;
    });
    for (const source of failed) if (opened.tracks[source]) this.#use(source, opened.tracks[source]);
    await this.#refreshDevices();
  }

  /**
   * Switches to another camera or microphone, remembers it, and returns its track. When it cannot be
   * opened, the old one keeps working and `switchFailure` says why.
   */
  async choose(source: LocalSource, deviceId: string): Promise<MediaStreamTrack | null> {
    const generation = this.#generation;
    this.#choosing.update((choosing) => ({ ...choosing, [source]: deviceId }));
    this.#switchFailure.set(null);
    const opened = await this.#open({ [source]: deviceId }, { alone: true });
    // A later choice of the same source is under way: that one shows as selected.
    if (this.#choosing()[source] === deviceId) {
      this.#choosing.update((choosing) => without(choosing, source));
    }
    const track = opened.tracks[source] ?? null;
    if (generation !== this.#generation) {
      stopTracks(opened.tracks);
      return null;
    }
    if (!track) {
      this.#switchFailure.set({ source, problem: opened.problems[source] ?? 'failed' });
      return null;
    }
    this.#problems.update((problems) => without(problems, source));
    this.#use(source, track);
    this.#preferences.remember(source, deviceId);
    return track;
  }

  chooseSpeaker(deviceId: string): void {
    this.#speakerId.set(deviceId);
    this.#testSound.set('idle');
    this.#preferences.remember('speaker', deviceId);
  }

  async playTestSound(): Promise<void> {
    if (this.#testSound() === 'playing') return;
    this.#testSound.set('playing');
    try {
      await this.#media.playTestSound(this.#speakerId());
      this.#testSound.set('played');
    } catch {
      this.#testSound.set('failed');
    }
  }

  /** Lets every device go (the camera light goes off) and forgets the check. */
  stop(): void {
    this.#generation++;
    this.#stopWatchingDevices?.();
    this.#stopWatchingDevices = undefined;
    for (const source of SOURCES) this.#use(source, null);
    this.#status.set('idle');
    this.#problems.set({});
    this.#choosing.set({});
    this.#switchFailure.set(null);
    this.#testSound.set('idle');
  }

  /** Replaces the track of a source, stopping the old one; the microphone's level follows its track. */
  #use(source: LocalSource, track: MediaStreamTrack | null): void {
    const old = this.#tracks()[source];
    if (old === track) return;
    old?.stop();
    this.#tracks.update((tracks) => ({ ...tracks, [source]: track ?? undefined }));
    track?.addEventListener('ended', () => void this.#lost(source, track), { once: true });
    if (source !== 'microphone') return;
    this.#stopLevel?.();
    this.#stopLevel = undefined;
    this.#level.set(0);
    this.#heard.set(false);
    if (!track) return;
    this.#stopLevel = this.#audioLevel.watch(track, (level) => {
      this.#level.set(level);
      if (level >= HEARD_LEVEL) this.#heard.set(true);
    });
  }

  /** The device went away (unplugged, or taken by the system): the default one of its kind takes over. */
  async #lost(source: LocalSource, track: MediaStreamTrack): Promise<void> {
    if (this.#tracks()[source] !== track) return;
    const generation = this.#generation;
    const opened = await this.#open({ [source]: null }, { alone: true });
    if (generation !== this.#generation || this.#tracks()[source] !== track) return stopTracks(opened.tracks);
    this.#problems.update((problems) => ({ ...problems, [source]: opened.problems[source] }));
    this.#use(source, opened.tracks[source] ?? null);
    await this.#refreshDevices();
  }

  #remembered(source: LocalSource): DeviceWish {
    const deviceId = this.#preferences.read()[source];
    return deviceId ? { preferred: deviceId } : null;
  }

  /** Opens all requested sources at once (one permission prompt), else each alone to learn which fails. */
  async #open(
    request: DeviceRequest,
    { alone = false } = {},
  ): Promise<{ tracks: OpenedTracks; problems: Partial<Record<LocalSource, DeviceProblem>> }> {
    if (!alone) {
      try {
        return { tracks: await this.#media.open(request), problems: {} };
      } catch {
        // Fall through: find out which device it was.
      }
    }
    const tracks: OpenedTracks = {};
    const problems: Partial<Record<LocalSource, DeviceProblem>> = {};
    for (const source of SOURCES) {
      if (!(source in request)) continue;
      try {
        tracks[source] = (await this.#media.open({ [source]: request[source] }))[source];
      } catch (error) {
        problems[source] = error instanceof DeviceError ? error.problem : 'failed';
      }
    }
    return { tracks, problems };
  }

  async #refreshDevices(): Promise<void> {
    try {
      this.#devices.set(await this.#media.list());
    } catch {
      this.#devices.set(NO_DEVICES);
    }
  }
}

function without<T>(record: Partial<Record<LocalSource, T>>, source: LocalSource): Partial<Record<LocalSource, T>> {
  const rest = { ...record };
  delete rest[source];
  return rest;
}

function stopTracks(tracks: OpenedTracks): void {
  for (const track of Object.values(tracks)) track?.stop();
}
