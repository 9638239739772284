/** Stand-ins for the boundaries (the studio client, the browser's devices), for the component tests only. */
import type { QuestionView } from '@pressroom/protocol';
import type {
  RemotePeer,
  StudioClient,
  StudioClientEvents,
  StudioFailure,
  StudioState,
} from '@pressroom/studio-client';
import { vi } from 'vitest';
import type { DeviceLists, DeviceRequest, DeviceWish, OpenedTracks } from '../device-check/media-devices';

/** A MediaStreamTrack as far as the page uses one. */
export class FakeTrack extends EventTarget {
  readonly id = `track-${Math.random().toString(36).slice(2, 8)}`;
  readonly stop = vi.fn();

  constructor(
    readonly kind: 'audio' | 'video',
    readonly deviceId: string,
  ) {
    super();
  }

  getSettings(): MediaTrackSettings {
    return { deviceId: this.deviceId };
  }
}

export const asTrack = (track: FakeTrack) => track as unknown as MediaStreamTrack;

/** jsdom has no MediaStream: the stage only builds one to hand its tracks to the client. */
export class FakeMediaStream {
  constructor(readonly tracks: MediaStreamTrack[]) {}
}

export const DEVICES: DeviceLists = {
  cameras: [
    { deviceId: 'cam-1', label: 'Built-in camera' },
    { deviceId: 'cam-2', label: 'USB camera' },
  ],
  microphones: [
    { deviceId: 'mic-1', label: 'Built-in microphone' },
    { deviceId: 'mic-2', label: 'Headset' },
  ],
  speakers: [
    { deviceId: 'out-1', label: 'Built-in speakers' },
    { deviceId: 'out-2', label: 'Headset' },
  ],
};

/**
 * The browser's devices: by default everything opens, with the first device of each kind unless
 * another is asked for (a preferred one only if it is in `DEVICES`).
 */
export class FakeMediaDevices {
  canChooseSpeaker = true;
  canShareScreen = true;
  readonly opened: FakeTrack[] = [];
  readonly open = vi.fn(async (request: DeviceRequest): Promise<OpenedTracks> => {
    const tracks: OpenedTracks = {};
    if ('microphone' in request) {
      tracks.microphone = this.#track('audio', pick(request.microphone, DEVICES.microphones, 'mic-1'));
    }
    if ('camera' in request) tracks.camera = this.#track('video', pick(request.camera, DEVICES.cameras, 'cam-1'));
    return tracks;
  });
  readonly list = vi.fn(async () => DEVICES);
  readonly onChange = vi.fn(() => () => undefined);
  readonly captureScreen = vi.fn(async () => this.#track('video', 'screen'));
  readonly playTestSound = vi.fn(async (_sinkId: string | null) => undefined);

  #track(kind: 'audio' | 'video', deviceId: string): MediaStreamTrack {
    const track = new FakeTrack(kind, deviceId);
    this.opened.push(track);
    return asTrack(track);
  }
}

function pick(wish: DeviceWish | undefined, listed: DeviceLists['cameras'], fallback: string): string {
  if (typeof wish === 'string') return wish;
  return listed.some((device) => device.deviceId === wish?.preferred) ? wish!.preferred : fallback;
}

/** The microphone meter: the test says how loud it is. */
export class FakeAudioLevel {
  readonly stopped = vi.fn();
  #report: ((level: number) => void) | undefined;
  readonly watch = vi.fn((_track: MediaStreamTrack, onLevel: (level: number) => void) => {
    this.#report = onLevel;
    return this.stopped;
  });

  report(level: number): void {
    this.#report?.(level);
  }
}

/** A joined studio: records what the page asks of it, and emits what the test makes happen. */
export class FakeStudioClient {
  readonly selfId = 'me';
  readonly role = 'speaker';
  state: StudioState = 'joined';
  peers: readonly RemotePeer[] = [];
  activeSpeaker: string | null = null;
  failure: StudioFailure | null = null;
  readonly publish = vi.fn(async (_stream: MediaStream) => undefined);
  readonly mute = vi.fn(async (_source?: string) => undefined);
  readonly unmute = vi.fn(async (_source?: string) => undefined);
  readonly replaceTrack = vi.fn(async (_source: string, _track: MediaStreamTrack) => undefined);
  readonly shareScreen = vi.fn(async (_track: MediaStreamTrack) => undefined);
  readonly stopScreenShare = vi.fn(async () => undefined);
  readonly leave = vi.fn(async () => undefined);
  readonly #listeners = new Map<keyof StudioClientEvents, Set<unknown>>();

  on<E extends keyof StudioClientEvents>(name: E, listener: (...args: StudioClientEvents[E]) => void): () => void {
    const set = this.#listeners.get(name) ?? new Set();
    this.#listeners.set(name, set);
    set.add(listener);
    return () => void set.delete(listener);
  }

  emit<E extends keyof StudioClientEvents>(name: E, ...args: StudioClientEvents[E]): void {
    for (const listener of [...(this.#listeners.get(name) ?? [])] as Array<(...args: StudioClientEvents[E]) => void>) {
      listener(...args);
    }
  }

  listening(name: keyof StudioClientEvents): number {
    return this.#listeners.get(name)?.size ?? 0;
  }

  get asClient(): StudioClient {
    return this as unknown as StudioClient;
  }
}

/** A remote peer as the client reports it; `tracks` name the sources sent, `paused` the muted ones. */
export function remotePeer(
  peerId: string,
  name: string,
  sources: Array<'microphone' | 'camera' | 'screen'>,
  paused: Array<'microphone' | 'camera'> = [],
): RemotePeer {
  return {
    peerId,
    name,
    role: 'speaker',
    outlet: null,
    tracks: sources.map((source) => ({
      peerId,
      producerId: `${peerId}-${source}-producer`,
      consumerId: `${peerId}-${source}-consumer`,
      kind: source === 'microphone' ? 'audio' : 'video',
      source,
      track: asTrack(new FakeTrack(source === 'microphone' ? 'audio' : 'video', source)),
      paused: (paused as string[]).includes(source),
    })),
  };
}

let questionCount = 0;

export function question(fields: Partial<QuestionView> = {}): QuestionView {
  questionCount++;
  return {
    id: `q${questionCount}`,
    participantId: 'journalist-1',
    name: 'Ana García',
    outlet: 'El País',
    text: `Question ${questionCount}`,
    status: 'approved',
    position: questionCount,
    votes: 0,
    onAir: false,
    createdAt: new Date(Date.UTC(2027, 0, 1, 10, 0, questionCount)).toISOString(),
    ...fields,
  };
}
