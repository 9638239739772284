import type { CaptionCueView, JoinResponse, ServerEventName, ServerEvents, TrackSource } from '@pressroom/protocol';
import { requestAccess } from './access';
import { Signaling, StudioRequestError, sleep, type SignalingOptions, type StudioEventName } from './signaling';
import {
  StudioSession,
  type MediaPathOptions,
  type MediaRoute,
  type RemotePeer,
  type StudioEvent,
} from './studio-session';
import { TypedEvents, type Listener } from './typed-events';

/**
 * `joining` until the first join completes; `joined` in the studio sending nothing; `publishing` while
 * at least one local track is sent; `recovering` after the media server restarted or the connection
 * dropped, until joined again (local tracks are sent again by themselves); `left` after `leave()`;
 * `failed` when the studio cannot be joined any more (event ended, access revoked, banned).
 */
export type StudioState = 'joining' | 'joined' | 'publishing' | 'recovering' | 'left' | 'failed';

/** Every `/live` event that is not the studio's own: the `state` snapshot, the conversation, the event's status. */
export type LiveEventName = Exclude<ServerEventName, StudioEventName>;
export type LiveEvent = { [E in LiveEventName]: { name: E; payload: ServerEvents[E] } }[LiveEventName];

/** Why the stay ended for good: the server's code (`invite_revoked`, `event_closed`…), or `disconnected` without one. */
export interface StudioFailure {
  code: StudioRequestError['code'];
  message: string;
}

export interface StudioClientEvents {
  state: [state: StudioState, reason: string | null];
  /**
   * The rest of the `/live` connection: `state` on every (re)connect, then the events after it. The
   * first listener also gets the latest `state` and what came after it before it listened.
   */
  live: [event: LiveEvent];
  /** The other people in the studio and the tracks received from them (a new array on every change). */
  peers: [peers: readonly RemotePeer[]];
  /** The loudest speaker (maybe this one: compare with `selfId`), or null in silence. */
  activeSpeaker: [peerId: string | null];
  /** Something failed without ending the stay (a track not received, a retry of a rejoin). */
  error: [error: Error];
}

export interface StudioInviteOptions extends SignalingOptions, MediaPathOptions {
  /** Where the API is, e.g. `location.origin`. */
  baseUrl: string;
  slug: string;
  /** The speaker's invite token (the `invite` parameter of the invite link). */
  invite: string;
}

export interface StudioAccessOptions extends SignalingOptions, MediaPathOptions {
  baseUrl: string;
  /** The reply of `POST /api/events/:slug/join` (a moderator joins with their bearer token). */
  access: JoinResponse;
}

type LocalSource = TrackSource;

interface LocalTrack {
  track: MediaStreamTrack;
  paused: boolean;
}

/** Server refusals that no retry will change. */
const FATAL_CODES: ReadonlySet<string> = new Set([
  'event_closed',
  'event_purged',
  'forbidden',
  'unauthorized',
  'banned',
  'invite_revoked',
]);
const REJOIN_DELAYS_MS = [250, 250, 500, 1000, 2000];
const QUIET_REJOIN_ATTEMPTS = 4;

/** Written as a record so that the compiler insists on every live event. */
const LIVE_EVENTS: Record<LiveEventName, true> = {
  state: true,
  'chat:message': true,
  'chat:removed': true,
  'question:pending': true,
  'question:approved': true,
  'question:updated': true,
  'question:removed': true,
  'question:reordered': true,
  'hand:queue': true,
  'hand:status': true,
  'user:status': true,
  'user:banned': true,
  'user:restriction': true,
  'event:status': true,
  counters: true,
  'action:error': true,
  'stage:invited': true,
  'stage:declined': true,
  'stage:ended': true,
  'stage:muted': true,
  'stage:changed': true,
  'restream:status': true,
  'restream:destinations': true,
  'caption:cue': true,
  'caption:interim': true,
  'crew:changed': true,
};

const STUDIO_EVENTS: readonly StudioEventName[] = [
  'studio:peerJoined',
  'studio:peerLeft',
  'studio:newProducer',
  'studio:producerClosed',
  'studio:producerPaused',
  'studio:consumerClosed',
];

/**
 * A speaker's (or moderator's) seat in the studio of one event, for any page: joins with an invite,
 * sends the local microphone, camera and screen, receives everyone else, and comes back by itself
 * when the media server restarts or the connection drops. Listen with `on(name, listener)`.
 *
 * ```ts
 * const studio = await StudioClient.join({ baseUrl: location.origin, slug, invite });
 * studio.on('peers', (peers) => render(peers));
 * await studio.publish(await navigator.mediaDevices.getUserMedia({ audio: true, video: true }));
 * ```
 */
export class StudioClient {
  readonly #events = new TypedEvents<StudioClientEvents>();
  readonly #local = new Map<LocalSource, LocalTrack>();
  readonly #stopListening: Array<() => void> = [];
  #session: StudioSession | undefined;
  /** Server events received while a join is under way, replayed into the new session. */
  #buffer: StudioEvent[] | undefined;
  /** Bumped by every reset, reconnect and leave: work of an older generation gives up. */
  #generation = 0;
  #recovery: Promise<void> = Promise.resolve();
  #state: StudioState = 'joining';
  #activeSpeaker: string | null = null;
  #failure: StudioFailure | null = null;
  /** The latest `state` and the live events after it, kept until someone listens to `live`. */
  #liveBacklog: LiveEvent[] | undefined = [];

  private constructor(
    private readonly signaling: Signaling,
    /** This participant's id, as `peerId` in the studio. */
    readonly selfId: string,
    readonly role: JoinResponse['role'],
    private readonly mediaPath: MediaPathOptions,
  ) {
    for (const name of STUDIO_EVENTS) {
      this.#stopListening.push(signaling.on(name, (payload) => this.#dispatch({ name, payload } as StudioEvent)));
    }
    for (const name of Object.keys(LIVE_EVENTS) as LiveEventName[]) {
      this.#stopListening.push(signaling.on(name, (payload) => this.#live({ name, payload } as LiveEvent)));
    }
    this.#stopListening.push(
      signaling.on('studio:activeSpeaker', ({ peerId }) => {
        if (peerId === this.#activeSpeaker) return;
        this.#activeSpeaker = peerId;
        this.#events.emit('activeSpeaker', peerId);
      }),
      signaling.on('studio:reset', ({ reason }) => this.#recover(reason)),
      signaling.onConnection((change) => {
        if (change.up) return this.#recover('reconnected');
        if (change.willRetry) return this.#suspend(`connection lost (${change.reason})`);
        this.#fail(change.reason, change.code ?? 'disconnected');
      }),
    );
  }

  /** Joins the studio with a speaker invite: REST join, realtime connection, studio join. */
  static async join(options: StudioInviteOptions): Promise<StudioClient> {
    const baseUrl = options.baseUrl.replace(/\/$/, '');
    return StudioClient.connect({ ...options, baseUrl, access: await StudioClient.access({ ...options, baseUrl }) });
  }

  /**
   * Redeems a speaker invite for an access token, without entering the studio yet (a page checks the
   * invite before its device check). Throws an `ApiError` (`@pressroom/live-client`) with the server's code.
   */
  static access(options: StudioInviteOptions): Promise<JoinResponse> {
    return requestAccess(options.baseUrl.replace(/\/$/, ''), options.slug, options.invite);
  }

  /**
   * Joins the studio with an access token already obtained. Throws a `StudioAccessError` when the
   * connection is refused, a `StudioRequestError` when the studio is (e.g. `event_closed`).
   */
  static async connect(options: StudioAccessOptions): Promise<StudioClient> {
    const signaling = new Signaling(options.baseUrl, options);
    // Listening before the connection opens, so that the first `state` reaches the page.
    const client = new StudioClient(signaling, options.access.participantId, options.access.role, {
      iceTransportPolicy: options.iceTransportPolicy,
    });
    try {
      await signaling.open(options.access.accessToken);
      // A reset during the first join queues its rejoin behind it, as behind any other.
      const entered = client.#enter(client.#generation);
      client.#recovery = entered.catch(() => undefined);
      await entered;
    } catch (error) {
      client.#shutDown();
      throw error;
    }
    return client;
  }

  get state(): StudioState {
    return this.#state;
  }

  get peers(): readonly RemotePeer[] {
    return this.#session?.peers ?? [];
  }

  /** The local sources being sent right now (none while recovering). */
  get published(): readonly TrackSource[] {
    return this.#session?.published ?? [];
  }

  get activeSpeaker(): string | null {
    return this.#activeSpeaker;
  }

  /**
   * How this browser's media reaches the server now (UDP or TCP, straight or through a TURN relay); null
   * before ICE has chosen, or while recovering.
   */
  async mediaRoute(): Promise<MediaRoute | null> {
    return (await this.#session?.route()) ?? null;
  }

  /** Why the state is `failed`; null before. */
  get failure(): StudioFailure | null {
    return this.#failure;
  }

  on<E extends keyof StudioClientEvents>(name: E, listener: Listener<StudioClientEvents[E]>): () => void {
    const stop = this.#events.on(name, listener);
    if (name === 'live' && this.#liveBacklog) {
      const backlog = this.#liveBacklog;
      this.#liveBacklog = undefined;
      for (const event of backlog) {
        try {
          (listener as Listener<[LiveEvent]>)(event);
        } catch (error) {
          reportError(error);
        }
      }
    }
    return stop;
  }

  /** Sends the first audio track as the microphone and the first video track as the camera. */
  async publish(stream: MediaStream): Promise<void> {
    const microphone = stream.getAudioTracks()[0];
    const camera = stream.getVideoTracks()[0];
    if (!microphone && !camera) throw new Error('The stream has neither an audio nor a video track');
    if (microphone) await this.#publish('microphone', microphone);
    if (camera) await this.#publish('camera', camera);
  }

  /**
   * Sends another track for a source (another camera or microphone) on the producer already there: the
   * others keep receiving without renegotiation, and a muted source or a camera turned off stays so.
   * A source not sent yet starts being sent. After a rejoin, this track is the one sent again.
   */
  async replaceTrack(source: LocalSource, track: MediaStreamTrack): Promise<void> {
    const kind = source === 'microphone' ? 'audio' : 'video';
    if (track.kind !== kind) throw new Error(`The ${source} takes ${kind} tracks only (got ${track.kind})`);
    if (track.readyState === 'ended') throw new Error(`The new ${source} track has already ended`);
    await this.#publish(source, track);
  }

  /** Sends a screen (from `getDisplayMedia`); it stops being sent when the browser ends the capture. */
  async shareScreen(track: MediaStreamTrack): Promise<void> {
    track.addEventListener('ended', () => void this.stopScreenShare().catch(() => undefined), { once: true });
    await this.#publish('screen', track);
  }

  async stopScreenShare(): Promise<void> {
    if (!this.#local.delete('screen')) return;
    await this.#session?.unpublish('screen');
    this.#settle();
  }

  /** Pauses a local track for everyone (the microphone unless told otherwise); `unmute` resumes it. */
  mute(source: LocalSource = 'microphone'): Promise<void> {
    return this.#setPaused(source, true);
  }

  unmute(source: LocalSource = 'microphone'): Promise<void> {
    return this.#setPaused(source, false);
  }

  isMuted(source: LocalSource = 'microphone'): boolean {
    return this.#local.get(source)?.paused ?? false;
  }

  /**
   * A captioner's line: a final one becomes a cue (returned), `interim` text is only shown to the
   * moderators (returns null). Throws `StudioRequestError` when refused (e.g. `forbidden` for anyone but
   * a captioner, `event_closed`).
   */
  async sendCaption(text: string, interim = false): Promise<CaptionCueView | null> {
    const { cue } = await this.signaling.request('caption:send', interim ? { text, interim } : { text });
    return cue;
  }

  /** Leaves the studio and disconnects. The local tracks are the caller's: they are not stopped. */
  async leave(): Promise<void> {
    if (this.#state === 'left') return;
    this.#generation++;
    this.#setState('left', null);
    this.#session?.close();
    this.#session = undefined;
    if (this.signaling.connected) await this.signaling.request('studio:leave', {}).catch(() => undefined);
    this.#shutDown();
    this.#events.clear();
  }

  async #publish(source: LocalSource, track: MediaStreamTrack): Promise<void> {
    const paused = this.#local.get(source)?.paused ?? false;
    this.#local.set(source, { track, paused });
    await this.#whileCurrent((session) => session.produce(source, track, paused));
  }

  async #setPaused(source: LocalSource, paused: boolean): Promise<void> {
    const local = this.#local.get(source);
    if (!local) return;
    local.paused = paused;
    await this.#whileCurrent((session) => session.setPaused(source, paused));
  }

  /**
   * Applies a change to the current session. Without one (recovering), the change waits in `#local`
   * for the next join; if the session is replaced meanwhile, the next join applies it too.
   */
  async #whileCurrent(change: (session: StudioSession) => Promise<void>): Promise<void> {
    const session = this.#session;
    if (!session) return;
    try {
      await change(session);
    } catch (error) {
      if (session === this.#session) throw error;
    }
    this.#settle();
  }

  /** One join: studio join, device and transports, the others' tracks, then ours again. */
  async #enter(generation: number): Promise<void> {
    const buffer: StudioEvent[] = [];
    this.#buffer = buffer;
    let session: StudioSession;
    try {
      const joined = await this.signaling.request('studio:join', {});
      session = await StudioSession.open(
        this.signaling,
        this.selfId,
        joined,
        {
          changed: () => {
            if (this.#session === session) this.#events.emit('peers', session.peers);
          },
          failed: (reason) => {
            if (this.#session === session) this.#recover(reason);
          },
          error: (error) => this.#events.emit('error', error),
        },
        this.mediaPath,
        this.role,
      );
      if (generation !== this.#generation) return session.close();
      this.#session = session;
      session.start(joined.peers);
      for (const event of buffer.splice(0)) session.receive(event);
    } finally {
      if (this.#buffer === buffer) this.#buffer = undefined;
    }
    for (const [source, { track, paused }] of this.#local) {
      if (session !== this.#session) return;
      // A track whose device went away cannot be sent again; its source stays known, muted or not,
      // for the track the page sends in its place (`replaceTrack`).
      if (track.readyState === 'ended') continue;
      await session.produce(source, track, paused);
    }
    this.#settle();
  }

  #live(event: LiveEvent): void {
    if (!this.#liveBacklog) return this.#events.emit('live', event);
    if (event.name === 'state') this.#liveBacklog = [event];
    else this.#liveBacklog.push(event);
  }

  #dispatch(event: StudioEvent): void {
    if (this.#session) this.#session.receive(event);
    else this.#buffer?.push(event);
  }

  /** Joins again, as often as needed, until it works, a newer recovery takes over, or it cannot work. */
  #recover(reason: string): void {
    if (this.#state === 'left' || this.#state === 'failed') return;
    const generation = this.#suspend(reason);
    this.#recovery = this.#recovery.then(async () => {
      for (let attempt = 0; generation === this.#generation && this.signaling.connected; attempt++) {
        try {
          return await this.#enter(generation);
        } catch (error) {
          if (generation !== this.#generation) return;
          this.#session?.close();
          this.#session = undefined;
          if (error instanceof StudioRequestError && FATAL_CODES.has(error.code)) {
            return this.#fail(error.message, error.code);
          }
          // The first failures are expected while a media server restarts; later ones are news.
          if (attempt >= QUIET_REJOIN_ATTEMPTS) this.#events.emit('error', asError(error));
          await sleep(REJOIN_DELAYS_MS[Math.min(attempt, REJOIN_DELAYS_MS.length - 1)]!);
        }
      }
    });
  }

  /** Drops the current session (its media is gone) and waits for a rejoin. */
  #suspend(reason: string): number {
    const generation = ++this.#generation;
    if (this.#session) {
      this.#session.close();
      this.#session = undefined;
      this.#events.emit('peers', []);
    }
    this.#setState('recovering', reason);
    return generation;
  }

  #fail(reason: string, code: StudioFailure['code']): void {
    if (this.#state === 'left' || this.#state === 'failed') return;
    this.#failure = { code, message: reason };
    this.#suspend(reason);
    this.#shutDown();
    this.#setState('failed', reason);
  }

  /** `joined` or `publishing`, once a session is there. */
  #settle(): void {
    if (!this.#session) return;
    this.#setState(this.#session.published.length > 0 ? 'publishing' : 'joined', null);
  }

  #setState(state: StudioState, reason: string | null): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#events.emit('state', state, reason);
  }

  #shutDown(): void {
    for (const stop of this.#stopListening.splice(0)) stop();
    this.signaling.close();
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
