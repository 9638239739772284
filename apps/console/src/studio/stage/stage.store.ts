import { computed, effect, inject, Injectable, signal, untracked } from '@angular/core';
import { FLOOR_STUDIO_ROLES, isCrewRole, type Role, type TrackSource } from '@pressroom/protocol';
import type { RemotePeer, StudioClient, StudioState } from '@pressroom/studio-client';
import { participantName } from '../../shared/i18n/participant-name';
import { DeviceCheckStore } from '../device-check/device-check.store';
import { DeviceError, MediaDevices, type LocalSource } from '../device-check/media-devices';

/** One person on the stage, as a tile shows them. */
export interface SpeakerView {
  peerId: string;
  /** `You` for oneself (the tile names the speaker when it knows their name). */
  name: string;
  isSelf: boolean;
  isModerator: boolean;
  /** A journalist on stage, invited by a moderator: shown with a "Guest" badge and their outlet. */
  isGuest: boolean;
  /** A guest's outlet; null for everyone else. */
  outlet: string | null;
  /** Null when they send no camera, or turned it off. */
  camera: MediaStreamTrack | null;
  /** Their voice, to play (null for oneself: nobody needs to hear their own echo). */
  voice: MediaStreamTrack | null;
  microphoneMuted: boolean;
  speaking: boolean;
}

/** A shared screen, shown large. */
export interface ScreenView {
  peerId: string;
  name: string;
  isSelf: boolean;
  track: MediaStreamTrack;
}

const SOURCES: readonly LocalSource[] = ['microphone', 'camera'];

/**
 * The studio as the speaker sees it: the other speakers and their tracks, who is talking, and the
 * speaker's own microphone, camera and screen, which the controls switch. A camera or microphone
 * chosen on stage (or taking over from one unplugged) replaces the one sent, without rejoining.
 */
@Injectable({ providedIn: 'root' })
export class StageStore {
  readonly #devices = inject(DeviceCheckStore);
  readonly #media = inject(MediaDevices);

  readonly #connection = signal<StudioState>('joining');
  readonly #peers = signal<readonly RemotePeer[]>([]);
  readonly #activeSpeaker = signal<string | null>(null);
  readonly #selfId = signal<string | null>(null);
  readonly #muted = signal<Record<LocalSource, boolean>>({ microphone: false, camera: false });
  readonly #screen = signal<MediaStreamTrack | null>(null);
  readonly #problem = signal<string | null>(null);
  readonly #role = signal<Role>('speaker');

  /** `recovering` while the studio comes back after a network or media server problem. */
  readonly connection = this.#connection.asReadonly();
  readonly microphoneMuted = computed(() => this.#muted().microphone);
  readonly cameraOff = computed(() => this.#muted().camera || !this.#devices.camera());
  readonly hasMicrophone = computed(() => !!this.#devices.microphone());
  readonly hasCamera = computed(() => !!this.#devices.camera());
  readonly sharingScreen = computed(() => !!this.#screen());
  /** Speakers may share a screen; the crew publishes only what their job needs (`CREW_TRACK_SOURCES`). */
  readonly canShareScreen = computed(() => this.#media.canShareScreen && !isCrewRole(this.#role()));
  /** Where the others' voices play (the speakers chosen before joining or on stage); null: the default. */
  readonly outputId = this.#devices.speakerId;
  /** Something the speaker tried that did not work, until the next try. */
  readonly problem = this.#problem.asReadonly();

  readonly speakers = computed<SpeakerView[]>(() => {
    const active = this.#activeSpeaker();
    const selfId = this.#selfId();
    const self: SpeakerView = {
      peerId: selfId ?? 'self',
      name: $localize`:@@tile.you:You`,
      isSelf: true,
      isModerator: false,
      isGuest: false,
      outlet: null,
      camera: this.cameraOff() ? null : this.#devices.camera(),
      voice: null,
      microphoneMuted: this.microphoneMuted() || !this.hasMicrophone(),
      speaking: active !== null && active === selfId && !this.microphoneMuted(),
    };
    const others = this.#peers().map((peer): SpeakerView => {
      const camera = trackOf(peer, 'camera');
      const microphone = trackOf(peer, 'microphone');
      return {
        peerId: peer.peerId,
        name: participantName(peer.name) || $localize`:@@role.speaker:Speaker`,
        isSelf: false,
        isModerator: peer.role === 'moderator',
        isGuest: peer.role === 'guest',
        outlet: peer.role === 'guest' ? peer.outlet : null,
        camera: camera && !camera.paused ? camera.track : null,
        voice: microphone?.track ?? null,
        microphoneMuted: !microphone || microphone.paused,
        // The level observer may name a speaker a moment after they muted: a muted one is not speaking.
        speaking: active === peer.peerId && !!microphone && !microphone.paused,
      };
    });
    return [self, ...others];
  });

  readonly screens = computed<ScreenView[]>(() => {
    const own = this.#screen();
    const screens: ScreenView[] = own
      ? [{ peerId: 'self', name: $localize`:@@tile.you:You`, isSelf: true, track: own }]
      : [];
    for (const peer of this.#peers()) {
      const screen = trackOf(peer, 'screen');
      if (screen)
        screens.push({
          peerId: peer.peerId,
          name: participantName(peer.name) || $localize`:@@role.speaker:Speaker`,
          isSelf: false,
          track: screen.track,
        });
    }
    return screens;
  });

  #client: StudioClient | null = null;
  #stopListening: Array<() => void> = [];
  /** The track last handed to the client per source. */
  #sent: Partial<Record<LocalSource, MediaStreamTrack>> = {};

  constructor() {
    // The device store replaces a track when the speaker chooses another device, or when its device
    // went away: the studio gets the new one.
    effect(() => {
      const tracks = { microphone: this.#devices.microphone(), camera: this.#devices.camera() };
      untracked(() => void this.#send(tracks));
    });
  }

  /** Takes over a joined studio and sends the microphone and camera of the device check. */
  async enter(client: StudioClient): Promise<void> {
    this.exit();
    this.#client = client;
    this.#selfId.set(client.selfId);
    this.#role.set(client.role);
    this.#connection.set(client.state);
    this.#peers.set(floorOf(client.peers));
    this.#activeSpeaker.set(client.activeSpeaker);
    this.#stopListening = [
      client.on('state', (state) => this.#connection.set(state)),
      client.on('peers', (peers) => this.#peers.set(floorOf(peers))),
      client.on('activeSpeaker', (peerId) => this.#activeSpeaker.set(peerId)),
    ];
    await this.#send({ microphone: this.#devices.microphone(), camera: this.#devices.camera() });
  }

  toggleMicrophone(): Promise<void> {
    return this.#toggle(
      'microphone',
      $localize`:@@stage.microphoneFailed:Your microphone could not be switched. Try again.`,
    );
  }

  toggleCamera(): Promise<void> {
    return this.#toggle('camera', $localize`:@@stage.cameraFailed:Your camera could not be switched. Try again.`);
  }

  async toggleScreen(): Promise<void> {
    const client = this.#client;
    if (!client) return;
    const shared = this.#screen();
    if (shared) {
      this.#screen.set(null);
      shared.stop();
      await this.#attempt(
        client,
        () => client.stopScreenShare(),
        $localize`:@@stage.screenStopFailed:Your screen could not be stopped. Try again.`,
      );
      return;
    }
    let track: MediaStreamTrack;
    try {
      track = await this.#media.captureScreen();
    } catch (error) {
      // Cancelling the browser's picker is a choice, not a problem.
      if (!(error instanceof DeviceError && error.problem === 'denied')) {
        this.#problem.set(
          $localize`:@@stage.screenCaptureFailed:Your screen could not be captured. Try again, or choose another window.`,
        );
      }
      return;
    }
    if (client !== this.#client) return track.stop();
    // The browser's own "Stop sharing" button ends the track; the client stops sending it by itself.
    track.addEventListener('ended', () => this.#screen.update((current) => (current === track ? null : current)));
    this.#screen.set(track);
    await this.#attempt(
      client,
      () => client.shareScreen(track),
      $localize`:@@stage.screenShareFailed:Your screen could not be shared. Try again.`,
    );
  }

  /** Forgets the studio (the session leaves it); stops a shared screen. */
  exit(): void {
    for (const stop of this.#stopListening.splice(0)) stop();
    this.#client = null;
    this.#screen()?.stop();
    this.#screen.set(null);
    this.#peers.set([]);
    this.#activeSpeaker.set(null);
    this.#selfId.set(null);
    this.#role.set('speaker');
    this.#sent = {};
    this.#muted.set({ microphone: false, camera: false });
    this.#problem.set(null);
    this.#connection.set('joining');
  }

  /**
   * Sends the tracks the client does not have yet: the first ones together, a later one in place of
   * the one before it (muted or turned off as that one was).
   */
  async #send(tracks: Record<LocalSource, MediaStreamTrack | null>): Promise<void> {
    const client = this.#client;
    if (!client) return;
    const fresh = SOURCES.filter((source) => tracks[source] && tracks[source] !== this.#sent[source]);
    const [replacing, adding] = [fresh.filter((s) => this.#sent[s]), fresh.filter((s) => !this.#sent[s])];
    for (const source of fresh) this.#sent[source] = tracks[source]!;
    if (adding.length > 0) {
      await this.#attempt(
        client,
        () => client.publish(new MediaStream(adding.map((source) => tracks[source]!))),
        $localize`:@@stage.sendFailed:Your camera and microphone could not be sent. Leave and join again.`,
      );
    }
    for (const source of replacing) {
      await this.#attempt(
        client,
        () => client.replaceTrack(source, tracks[source]!),
        `Your new ${source} could not be sent. Leave and join again.`,
      );
    }
  }

  async #toggle(source: LocalSource, failure: string): Promise<void> {
    const client = this.#client;
    if (!client) return;
    const muted = !this.#muted()[source];
    this.#muted.update((state) => ({ ...state, [source]: muted }));
    await this.#attempt(client, () => (muted ? client.mute(source) : client.unmute(source)), failure);
  }

  async #attempt(client: StudioClient, action: () => Promise<void>, failure: string): Promise<void> {
    this.#problem.set(null);
    try {
      await action();
    } catch {
      if (client === this.#client) this.#problem.set(failure);
    }
  }
}

/** The tiles show the floor: the crew (captioners, interpreters, signers) is not on stage. */
function floorOf(peers: readonly RemotePeer[]): readonly RemotePeer[] {
  return peers.filter((peer) => FLOOR_STUDIO_ROLES.includes(peer.role));
}

function trackOf(peer: RemotePeer, source: TrackSource) {
  return peer.tracks.find((track) => track.source === source);
}
