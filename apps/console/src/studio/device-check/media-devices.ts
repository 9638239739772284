import { Injectable } from '@angular/core';
import type { TrackSource } from '@pressroom/protocol';
import { chimeWav } from './chime';

/** The local devices a speaker sends from. */
export type LocalSource = Extract<TrackSource, 'microphone' | 'camera'>;

export interface DeviceOption {
  deviceId: string;
  label: string;
}

export interface DeviceLists {
  cameras: DeviceOption[];
  microphones: DeviceOption[];
  speakers: DeviceOption[];
}

/** Why a device could not be opened, in the terms the page explains. */
export type DeviceProblem = 'denied' | 'missing' | 'busy' | 'failed';

export class DeviceError extends Error {
  override readonly name = 'DeviceError';

  constructor(
    readonly problem: DeviceProblem,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Which device to open: its id (that one, or fail), `{ preferred: id }` (that one if it works, else the
 * default: for a device remembered from an earlier visit), or null for the browser's default.
 */
export type DeviceWish = string | { preferred: string } | null;
export type DeviceRequest = Partial<Record<LocalSource, DeviceWish>>;
export type OpenedTracks = Partial<Record<LocalSource, MediaStreamTrack>>;

/** The broadcast is 720p30: ask cameras for that, and for speech-friendly audio processing. */
const CAMERA: MediaTrackConstraints = { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } };
const MICROPHONE: MediaTrackConstraints = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };

/** The browser's cameras, microphones, outputs and screen capture: the page's only door to them. */
@Injectable({ providedIn: 'root' })
export class MediaDevices {
  /** Whether sound can be sent to a chosen output (HTMLMediaElement.setSinkId). */
  readonly canChooseSpeaker = 'setSinkId' in HTMLMediaElement.prototype;
  readonly canShareScreen = typeof navigator.mediaDevices?.getDisplayMedia === 'function';

  /**
   * Opens the devices asked for with one request. When a preferred device cannot be opened (gone, or
   * in use), the default ones are tried instead (an ideal id is not enough: Chromium may ignore it).
   */
  async open(request: DeviceRequest): Promise<OpenedTracks> {
    if (!navigator.mediaDevices?.getUserMedia) {
      throw new DeviceError('failed', 'This browser cannot use a camera or microphone here (it needs HTTPS)');
    }
    try {
      return await this.#getUserMedia(request);
    } catch (error) {
      const problem = asDeviceError(error);
      const defaults = withoutPreferences(request);
      if (problem.problem === 'denied' || !defaults) throw problem;
      return this.open(defaults);
    }
  }

  async #getUserMedia(request: DeviceRequest): Promise<OpenedTracks> {
    const constraints = (wanted: DeviceWish | undefined, base: MediaTrackConstraints) =>
      wanted === undefined ? false : { ...base, ...(wanted ? { deviceId: { exact: deviceIdOf(wanted) } } : {}) };
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: constraints(request.microphone, MICROPHONE),
      video: constraints(request.camera, CAMERA),
    });
    return { microphone: stream.getAudioTracks()[0], camera: stream.getVideoTracks()[0] };
  }

  /** Labels are empty until the page may use a device. */
  async list(): Promise<DeviceLists> {
    const devices = (await navigator.mediaDevices?.enumerateDevices()) ?? [];
    const of = (kind: MediaDeviceKind, fallback: string): DeviceOption[] =>
      devices
        .filter((device) => device.kind === kind && device.deviceId)
        .map((device, index) => ({ deviceId: device.deviceId, label: device.label || `${fallback} ${index + 1}` }));
    return {
      cameras: of('videoinput', $localize`:@@devices.camera:Camera`),
      microphones: of('audioinput', $localize`:@@devices.microphone:Microphone`),
      speakers: of('audiooutput', $localize`:@@devices.speakers:Speakers`),
    };
  }

  /** Calls back when a device is plugged in or out; returns the function that stops listening. */
  onChange(listener: () => void): () => void {
    navigator.mediaDevices?.addEventListener('devicechange', listener);
    return () => navigator.mediaDevices?.removeEventListener('devicechange', listener);
  }

  /** Asks for a screen, window or tab; a refusal (the speaker cancelled) is a `denied` DeviceError. */
  async captureScreen(): Promise<MediaStreamTrack> {
    try {
      const stream = await navigator.mediaDevices.getDisplayMedia({
        video: { frameRate: { ideal: 15 } },
        audio: false,
      });
      return stream.getVideoTracks()[0]!;
    } catch (error) {
      throw asDeviceError(error);
    }
  }

  /** Plays a short chime on the chosen output (null: the default one) and resolves when it is over. */
  async playTestSound(sinkId: string | null): Promise<void> {
    const url = URL.createObjectURL(new Blob([chimeWav()], { type: 'audio/wav' }));
    const audio = new Audio(url) as HTMLAudioElement & { setSinkId?(id: string): Promise<void> };
    try {
      if (sinkId && audio.setSinkId) await audio.setSinkId(sinkId);
      await new Promise<void>((resolve, reject) => {
        audio.addEventListener('ended', () => resolve(), { once: true });
        audio.addEventListener('error', () => reject(new Error('The test sound could not play')), { once: true });
        audio.play().catch(reject);
      });
    } finally {
      URL.revokeObjectURL(url);
    }
  }
}

function deviceIdOf(wanted: string | { preferred: string }): string {
  return typeof wanted === 'string' ? wanted : wanted.preferred;
}

/** The request with the default device in place of each preferred one; null when none was preferred. */
function withoutPreferences(request: DeviceRequest): DeviceRequest | null {
  const preferred = (wanted: DeviceWish | undefined) => typeof wanted === 'object' && wanted !== null;
  if (!preferred(request.microphone) && !preferred(request.camera)) return null;
  return Object.fromEntries(
    Object.entries(request).map(([source, wanted]) => [source, preferred(wanted) ? null : wanted]),
  ) as DeviceRequest;
}

function asDeviceError(error: unknown): DeviceError {
  const { name, message } = error instanceof Error ? error : { name: '', message: String(error) };
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new DeviceError('denied', message);
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new DeviceError('missing', message);
    case 'NotReadableError':
    case 'AbortError':
      return new DeviceError('busy', message);
    default:
      return new DeviceError('failed', message);
  }
}
