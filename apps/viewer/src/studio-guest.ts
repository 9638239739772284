/**
 * The journalist on stage, loaded only when an invitation arrives (a chunk of its own, with
 * mediasoup-client): the device check (microphone level, optional camera preview) and the studio seat
 * through `@pressroom/studio-client`, with the studio's people shown and heard in place of the broadcast.
 */
import { withOutlet, type JoinResponse } from '@pressroom/protocol';
import { StudioClient, type RemotePeer, type StudioState } from '@pressroom/studio-client';
import { h } from './dom';
import { onLanguageChange, participantName, t } from './i18n';

/** The microphone (and the camera, when chosen) opened for the invitation, with a level meter. */
export class DeviceCheck {
  readonly #microphone: MediaStreamTrack;
  #camera: MediaStreamTrack | null = null;
  #audio: AudioContext | null = null;
  #frame = 0;
  #handedOver = false;

  private constructor(microphone: MediaStreamTrack) {
    this.#microphone = microphone;
  }

  /** Opens the microphone; rejects (a `DOMException`) when the browser or the person refuses. */
  static async open(): Promise<DeviceCheck> {
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
    });
    return new DeviceCheck(stream.getAudioTracks()[0]!);
  }

  /** Calls `level` (0–100) on every animation frame while the check is open. */
  meter(level: (percent: number) => void): void {
    const audio = new AudioContext();
    this.#audio = audio;
    const analyser = audio.createAnalyser();
    analyser.fftSize = 1024;
    audio.createMediaStreamSource(new MediaStream([this.#microphone])).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    const tick = () => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const sample of samples) sum += sample * sample;
      const rms = Math.sqrt(sum / samples.length);
      // -60 dBFS (silence) … 0 dBFS (full scale).
      const decibels = rms > 0 ? 20 * Math.log10(rms) : -100;
      level(Math.round(Math.min(100, Math.max(0, ((decibels + 60) / 60) * 100))));
      this.#frame = requestAnimationFrame(tick);
    };
    void audio.resume().catch(() => undefined);
    tick();
  }

  /** A click lets a suspended audio context run (browsers start it only after a gesture). */
  wake(): void {
    void this.#audio?.resume().catch(() => undefined);
  }

  /** Turns the camera on (returning its track, for the preview) or off (null). */
  async camera(on: boolean): Promise<MediaStreamTrack | null> {
    if (!on) {
      this.#camera?.stop();
      this.#camera = null;
      return null;
    }
    if (!this.#camera) {
      const stream = await navigator.mediaDevices.getUserMedia({
        video: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } },
      });
      this.#camera = stream.getVideoTracks()[0]!;
    }
    return this.#camera;
  }

  /** What goes on stage: the microphone, and the camera if chosen. The meter stops; the tracks are the studio's now. */
  handOver(): MediaStream {
    this.#stopMeter();
    this.#handedOver = true;
    return new MediaStream(this.#camera ? [this.#microphone, this.#camera] : [this.#microphone]);
  }

  /** Releases the devices (declined, lapsed, or the turn is over). */
  stop(): void {
    this.#stopMeter();
    this.#microphone.stop();
    this.#camera?.stop();
    this.#camera = null;
  }

  get handedOver(): boolean {
    return this.#handedOver;
  }

  #stopMeter(): void {
    cancelAnimationFrame(this.#frame);
    void this.#audio?.close().catch(() => undefined);
    this.#audio = null;
  }
}

export interface GuestStudioView {
  /** The list the studio's people are drawn in (one `li` each, oneself first). */
  peers: HTMLElement;
  /** The studio could not be joined, or was lost for good. */
  failed(message: string): void;
}

/** The guest's seat in the studio: publishes the checked devices and shows and plays everyone else. */
export class GuestStudio {
  readonly #tiles = new Map<string, HTMLLIElement>();
  readonly #stopRelabelling: () => void;

  private constructor(
    private readonly client: StudioClient,
    private readonly stream: MediaStream,
    private readonly view: GuestStudioView,
    ownName: string,
  ) {
    const camera = stream.getVideoTracks()[0];
    const own = tile('self', t('studio.self', { name: ownName }), camera ?? null, null, true);
    view.peers.replaceChildren(own);
    play(own);
    client.on('peers', (peers) => this.#draw(peers));
    client.on('state', (state: StudioState, reason) => {
      if (state === 'failed') view.failed(t('studio.lost', { reason: reason ?? t('studio.closed') }));
    });
    this.#draw(client.peers);
    // Another language: the labels change, the tiles (and their media) stay.
    this.#stopRelabelling = onLanguageChange(() => {
      label(own, t('studio.self', { name: ownName }));
      for (const peer of this.client.peers) {
        const element = this.#tiles.get(peer.peerId);
        if (element) label(element, peerLabel(peer));
      }
    });
  }

  /** Joins the studio with the journalist's own access (the server let them in on accepting) and publishes. */
  static async join(access: JoinResponse, check: DeviceCheck, view: GuestStudioView, ownName: string) {
    const stream = check.handOver();
    try {
      const client = await StudioClient.connect({ baseUrl: location.origin, access });
      const studio = new GuestStudio(client, stream, view, ownName);
      await client.publish(stream);
      return studio;
    } catch (error) {
      for (const track of stream.getTracks()) track.stop();
      throw error;
    }
  }

  /** Leaves the studio and releases the devices; the page shows the broadcast again. */
  async leave(): Promise<void> {
    this.#stopRelabelling();
    for (const track of this.stream.getTracks()) track.stop();
    for (const media of this.view.peers.querySelectorAll<HTMLMediaElement>('video, audio')) media.srcObject = null;
    this.view.peers.replaceChildren();
    await this.client.leave().catch(() => undefined);
  }

  #draw(peers: readonly RemotePeer[]): void {
    const seen = new Set<string>();
    for (const peer of peers) {
      seen.add(peer.peerId);
      const camera = peer.tracks.find((t) => t.source === 'camera' && !t.paused)?.track ?? null;
      const voice = peer.tracks.find((t) => t.source === 'microphone')?.track ?? null;
      const old = this.#tiles.get(peer.peerId);
      if (old && sameTracks(old, camera, voice)) {
        label(old, peerLabel(peer)); // the same person may come back under another name ("Forget me")
        continue;
      }
      const fresh = tile(peer.peerId, peerLabel(peer), camera, voice, false);
      if (old) old.replaceWith(fresh);
      else this.view.peers.append(fresh);
      play(fresh);
      this.#tiles.set(peer.peerId, fresh);
    }
    for (const [peerId, element] of this.#tiles) {
      if (seen.has(peerId)) continue;
      element.remove();
      this.#tiles.delete(peerId);
    }
  }
}

function peerLabel(peer: RemotePeer): string {
  const name = participantName(peer.name);
  if (peer.role === 'moderator') return t('studio.moderator', { name });
  if (peer.role === 'guest') return t('studio.guest', { who: withOutlet(name, peer.outlet) });
  return name;
}

/** A tile's name, read out and shown. */
function label(element: HTMLElement, name: string): void {
  element.setAttribute('aria-label', name);
  const shown = element.querySelector('.peer-name');
  if (shown) shown.textContent = name;
}

type Tracked = HTMLLIElement & { cameraTrack?: MediaStreamTrack | null; voiceTrack?: MediaStreamTrack | null };

function sameTracks(element: Tracked, camera: MediaStreamTrack | null, voice: MediaStreamTrack | null): boolean {
  return element.cameraTrack === camera && element.voiceTrack === voice;
}

function tile(
  peerId: string,
  name: string,
  camera: MediaStreamTrack | null,
  voice: MediaStreamTrack | null,
  self: boolean,
): HTMLLIElement {
  const element: Tracked = h('li', { class: self ? 'studio-peer self' : 'studio-peer', 'data-peer': peerId });
  element.cameraTrack = camera;
  element.voiceTrack = voice;
  element.setAttribute('aria-label', name);
  if (camera) {
    const video = h('video', { autoplay: true, playsinline: true, muted: true });
    video.muted = true;
    video.srcObject = new MediaStream([camera]);
    element.append(video);
  } else {
    element.append(h('span', { class: 'initials', 'aria-hidden': 'true' }, initials(name)));
  }
  if (voice && !self) {
    const audio = h('audio', { autoplay: true });
    audio.srcObject = new MediaStream([voice]);
    element.append(audio);
  }
  element.append(h('span', { class: 'peer-name' }, name));
  return element;
}

/** Starts a tile's media (autoplay alone may wait for a gesture the page already had: accepting). */
function play(element: HTMLElement): void {
  for (const media of element.querySelectorAll<HTMLMediaElement>('video, audio'))
    void media.play().catch(() => undefined);
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => word[0]!.toUpperCase())
    .join('');
}
