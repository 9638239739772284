import type {
  DtlsParameters,
  MediaKind,
  RtpParameters,
  StudioPeerInfo,
  StudioProducerInfo,
  StudioServerEvents,
  TrackSource,
} from '@pressroom/protocol';
import { receivesTracksOf, type Role } from '@pressroom/protocol';
import { Device, type types } from 'mediasoup-client';
import type { Signaling, StudioEventName, StudioReply } from './signaling';

/** A track another speaker sends, as this browser receives it. */
export interface RemoteTrack {
  readonly peerId: string;
  readonly producerId: string;
  readonly consumerId: string;
  readonly kind: MediaKind;
  readonly source: TrackSource;
  readonly track: MediaStreamTrack;
  /** The sender muted it (their producer is paused). */
  readonly paused: boolean;
}

/** Another speaker or moderator in the studio, with the tracks received from them so far. */
export interface RemotePeer {
  readonly peerId: string;
  readonly name: string;
  readonly role: StudioPeerInfo['role'];
  /** A guest's outlet (a journalist on stage); null for speakers and moderators. */
  readonly outlet: string | null;
  readonly tracks: readonly RemoteTrack[];
}

/** A studio server event as one value, for buffering and dispatch. */
export type StudioEvent = { [E in StudioEventName]: { name: E; payload: StudioServerEvents[E] } }[StudioEventName];

/** How this browser may reach the media server. */
export interface MediaPathOptions {
  /**
   * `relay`: media only through the TURN servers the server hands out, never directly (to test a TURN
   * set-up). A studio whose server has no TURN servers then refuses to join, saying so. Default `all`.
   */
  iceTransportPolicy?: RTCIceTransportPolicy;
}

/** How this browser's media reaches the server right now: the sending transport's selected ICE candidate pair. */
export interface MediaRoute {
  /** The protocol of this browser's end of the path (to the server, or to the TURN server's relay). */
  protocol: 'udp' | 'tcp';
  /** `relay` when the media goes through a TURN server; `host` straight from this machine. */
  candidateType: 'host' | 'srflx' | 'prflx' | 'relay';
  /** For a relayed route: how this browser reaches the TURN server (`udp`, `tcp` or `tls`). */
  relayProtocol: string | null;
}

/** What the session tells its owner; it never reaches the owner itself. */
export interface SessionHooks {
  /** Remote peers or their tracks changed. */
  changed(): void;
  /** A transport failed for good: the owner joins again. */
  failed(reason: string): void;
  /** Something went wrong that does not end the session (a track could not be received). */
  error(error: Error): void;
}

interface PeerEntry {
  name: string;
  role: StudioPeerInfo['role'];
  outlet: string | null;
  /** By consumer id. */
  tracks: Map<string, RemoteTrack>;
}

/** mediasoup's parameter objects are opaque in the protocol: each side types them with its own library. */
const opaque = <T>(value: object): T => value as unknown as T;

/**
 * One stay in the studio: the device loaded with the router's capabilities, a send and a recv
 * transport, the local producers and the remote consumers. When the studio resets, the owner closes
 * it and opens a new one; closing closes the transports, which close everything on them, and never
 * stops the caller's local tracks.
 */
export class StudioSession {
  readonly #peers = new Map<string, PeerEntry>();
  readonly #consumers = new Map<string, types.Consumer>();
  /** Producers already consumed or being consumed. */
  readonly #requested = new Set<string>();
  /**
   * Whether each producer is paused, as last heard from the server. An announcement can overtake the
   * reply of the consume it concerns, so this outranks the reply's `producerPaused`.
   */
  readonly #producerPaused = new Map<string, boolean>();
  /** Consumers the server closed before this side had created them. */
  readonly #closedEarly = new Set<string>();
  readonly #producers = new Map<TrackSource, types.Producer>();
  /** Producer changes run one at a time: a source is never produced twice. */
  #producerWork: Promise<unknown> = Promise.resolve();
  #snapshot: readonly RemotePeer[] = [];
  #closed = false;

  private constructor(
    private readonly signaling: Signaling,
    private readonly selfId: string,
    private readonly device: types.Device,
    private readonly send: types.Transport,
    private readonly recv: types.Transport,
    private readonly hooks: SessionHooks,
    /** This participant's role: which peers' tracks it receives (`receivesTracksOf`). */
    private readonly selfRole: Role,
  ) {
    for (const transport of [send, recv]) {
      transport.on('connect', ({ dtlsParameters }, callback, errback) => {
        this.signaling
          .request('studio:connectTransport', {
            transportId: transport.id,
            dtlsParameters: opaque<DtlsParameters>(dtlsParameters),
          })
          .then(() => callback(), errback);
      });
      transport.on('connectionstatechange', (state) => {
        if (state === 'failed' && !this.#closed) this.hooks.failed(`the ${transport.direction} transport failed`);
      });
    }
    send.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
      this.signaling
        .request('studio:produce', {
          transportId: send.id,
          kind,
          rtpParameters: opaque<RtpParameters>(rtpParameters),
          source: appData['source'] as TrackSource,
        })
        .then(({ producerId }) => callback({ id: producerId }), errback);
    });
  }

  /** Loads a device for the joined router and creates both transports. */
  static async open(
    signaling: Signaling,
    selfId: string,
    joined: StudioReply<'studio:join'>,
    hooks: SessionHooks,
    { iceTransportPolicy = 'all' }: MediaPathOptions = {},
    selfRole: Role = 'speaker',
  ): Promise<StudioSession> {
    const device = await Device.factory();
    await device.load({ routerRtpCapabilities: opaque<types.RtpCapabilities>(joined.routerRtpCapabilities) });
    const create = async (direction: 'send' | 'recv') => {
      const { transport } = await signaling.request('studio:createTransport', { direction });
      if (iceTransportPolicy === 'relay' && transport.iceServers.length === 0) {
        throw new Error('Media only through TURN (iceTransportPolicy relay), but the server offers no TURN server');
      }
      const options: types.TransportOptions = {
        id: transport.id,
        iceParameters: opaque<types.IceParameters>(transport.iceParameters),
        iceCandidates: opaque<types.IceCandidate[]>(transport.iceCandidates),
        dtlsParameters: opaque<types.DtlsParameters>(transport.dtlsParameters),
        iceServers: transport.iceServers,
        iceTransportPolicy,
      };
      return direction === 'send' ? device.createSendTransport(options) : device.createRecvTransport(options);
    };
    const send = await create('send');
    let recv: types.Transport;
    try {
      recv = await create('recv');
    } catch (error) {
      send.close();
      throw error;
    }
    return new StudioSession(signaling, selfId, device, send, recv, hooks, selfRole);
  }

  get peers(): readonly RemotePeer[] {
    return this.#snapshot;
  }

  /** The route of the sending transport's media, once ICE has chosen one. */
  async route(): Promise<MediaRoute | null> {
    const stats = [...(await this.send.getStats()).values()] as Array<Record<string, unknown>>;
    const byId = new Map(stats.map((entry) => [entry['id'] as string, entry]));
    const selectedId = stats.find((entry) => entry['type'] === 'transport' && entry['selectedCandidatePairId'])?.[
      'selectedCandidatePairId'
    ] as string | undefined;
    const pair = selectedId
      ? byId.get(selectedId)
      : stats.find(
          (entry) => entry['type'] === 'candidate-pair' && entry['nominated'] && entry['state'] === 'succeeded',
        );
    const local = pair ? byId.get(pair['localCandidateId'] as string) : undefined;
    if (!local) return null;
    return {
      protocol: local['protocol'] as MediaRoute['protocol'],
      candidateType: local['candidateType'] as MediaRoute['candidateType'],
      relayProtocol: (local['relayProtocol'] as string | undefined) ?? null,
    };
  }

  /** The local sources being sent. */
  get published(): TrackSource[] {
    return [...this.#producers.keys()];
  }

  /** Takes in the peers that were there before us and receives their tracks. */
  start(peers: readonly StudioPeerInfo[]): void {
    for (const peer of peers) {
      if (peer.peerId === this.selfId) continue;
      this.#addPeer(peer);
      for (const producer of peer.producers) this.#announced(producer);
    }
    this.#changed();
  }

  receive(event: StudioEvent): void {
    if (this.#closed) return;
    switch (event.name) {
      case 'studio:peerJoined':
        if (event.payload.peerId === this.selfId) return;
        this.#addPeer(event.payload);
        for (const producer of event.payload.producers) this.#announced(producer);
        return this.#changed();
      case 'studio:peerLeft': {
        const peer = this.#peers.get(event.payload.peerId);
        if (!peer) return;
        for (const consumerId of peer.tracks.keys()) this.#consumers.get(consumerId)?.close();
        this.#peers.delete(event.payload.peerId);
        return this.#changed();
      }
      case 'studio:newProducer':
        if (event.payload.peerId === this.selfId) return;
        if (!this.#peers.has(event.payload.peerId))
          this.#addPeer({ ...event.payload, name: '', role: 'speaker', outlet: null });
        this.#announced(event.payload);
        return;
      case 'studio:producerClosed':
        for (const peer of this.#peers.values()) {
          for (const track of peer.tracks.values()) {
            if (track.producerId === event.payload.producerId) this.#dropConsumer(track.consumerId);
          }
        }
        return;
      case 'studio:consumerClosed':
        if (!this.#dropConsumer(event.payload.consumerId)) this.#closedEarly.add(event.payload.consumerId);
        return;
      case 'studio:producerPaused': {
        this.#producerPaused.set(event.payload.producerId, event.payload.paused);
        const peer = this.#peers.get(event.payload.peerId);
        for (const track of peer?.tracks.values() ?? []) {
          if (track.producerId === event.payload.producerId) {
            peer!.tracks.set(track.consumerId, { ...track, paused: event.payload.paused });
          }
        }
        return this.#changed();
      }
      default:
        return;
    }
  }

  /** Sends a local track (or swaps the track of a source already sent). */
  produce(source: TrackSource, track: MediaStreamTrack, paused: boolean): Promise<void> {
    return this.#serially(() => this.#produce(source, track, paused));
  }

  setPaused(source: TrackSource, paused: boolean): Promise<void> {
    return this.#serially(() => this.#setPaused(source, paused));
  }

  unpublish(source: TrackSource): Promise<void> {
    return this.#serially(() => this.#unpublish(source));
  }

  async #produce(source: TrackSource, track: MediaStreamTrack, paused: boolean): Promise<void> {
    const existing = this.#producers.get(source);
    if (existing) {
      if (existing.track !== track) await existing.replaceTrack({ track });
      return this.#setPaused(source, paused);
    }
    const producer = await this.send.produce({
      track,
      // The caller owns its tracks: they outlive this session and are sent again after a reset.
      stopTracks: false,
      appData: { source },
      ...(track.kind === 'video' ? { codecOptions: { videoGoogleStartBitrate: 1000 } } : {}),
    });
    if (this.#closed) return producer.close();
    this.#producers.set(source, producer);
    // The server's producer starts live, whereas this one starts paused if an earlier mute left the
    // track disabled: set both as the caller wants.
    if (paused) {
      producer.pause();
      await this.signaling.request('studio:pauseProducer', { producerId: producer.id });
    } else {
      producer.resume();
    }
  }

  async #setPaused(source: TrackSource, paused: boolean): Promise<void> {
    const producer = this.#producers.get(source);
    if (!producer || producer.paused === paused) return;
    if (paused) producer.pause();
    else producer.resume();
    await this.signaling.request(paused ? 'studio:pauseProducer' : 'studio:resumeProducer', {
      producerId: producer.id,
    });
  }

  async #unpublish(source: TrackSource): Promise<void> {
    const producer = this.#producers.get(source);
    if (!producer) return;
    this.#producers.delete(source);
    producer.close();
    await this.signaling.request('studio:closeProducer', { producerId: producer.id });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.send.close();
    this.recv.close();
    this.#producers.clear();
    this.#consumers.clear();
    this.#peers.clear();
    this.#snapshot = [];
  }

  #serially(work: () => Promise<void>): Promise<void> {
    const done = this.#producerWork.then(work, work);
    this.#producerWork = done.catch(() => undefined);
    return done;
  }

  #announced(producer: StudioProducerInfo): void {
    this.#producerPaused.set(producer.producerId, producer.paused);
    const role = this.#peers.get(producer.peerId)?.role ?? 'speaker';
    // The crew's tracks (an interpreter's voice, a signer's camera) are for the broadcast, not the floor.
    if (!receivesTracksOf(this.selfRole, role)) return;
    void this.#consume(producer);
  }

  /** Creates the consumer paused on the server, builds the track here, then lets the media flow. */
  async #consume(producer: StudioProducerInfo): Promise<void> {
    if (this.#requested.has(producer.producerId)) return;
    this.#requested.add(producer.producerId);
    try {
      const { consumer: options } = await this.signaling.request('studio:consume', {
        transportId: this.recv.id,
        producerId: producer.producerId,
        rtpCapabilities: opaque(this.device.recvRtpCapabilities),
      });
      if (this.#closed) return;
      const consumer = await this.recv.consume({
        id: options.consumerId,
        producerId: options.producerId,
        kind: options.kind,
        rtpParameters: opaque<types.RtpParameters>(options.rtpParameters),
      });
      const peer = this.#peers.get(options.peerId);
      if (this.#closed || !peer || this.#closedEarly.delete(options.consumerId)) return consumer.close();
      this.#consumers.set(consumer.id, consumer);
      peer.tracks.set(consumer.id, {
        peerId: options.peerId,
        producerId: options.producerId,
        consumerId: consumer.id,
        kind: options.kind,
        source: options.source,
        track: consumer.track,
        paused: this.#producerPaused.get(options.producerId) ?? options.producerPaused,
      });
      this.#changed();
      await this.signaling.request('studio:resumeConsumer', { consumerId: consumer.id });
    } catch (error) {
      this.#requested.delete(producer.producerId);
      // A producer that left while we asked for it, or a session closed meanwhile, is no news.
      if (this.#closed || (error as { code?: string }).code === 'not_found') return;
      this.hooks.error(error instanceof Error ? error : new Error(String(error)));
    }
  }

  #addPeer(info: Pick<StudioPeerInfo, 'peerId' | 'name' | 'role' | 'outlet'>): void {
    const known = this.#peers.get(info.peerId);
    const outlet = info.outlet ?? null;
    if (known) Object.assign(known, { name: info.name, role: info.role, outlet });
    else this.#peers.set(info.peerId, { name: info.name, role: info.role, outlet, tracks: new Map() });
  }

  #dropConsumer(consumerId: string): boolean {
    const consumer = this.#consumers.get(consumerId);
    if (!consumer) return false;
    this.#consumers.delete(consumerId);
    this.#requested.delete(consumer.producerId);
    consumer.close();
    for (const peer of this.#peers.values()) peer.tracks.delete(consumerId);
    this.#changed();
    return true;
  }

  #changed(): void {
    this.#snapshot = [...this.#peers].map(([peerId, peer]) => ({
      peerId,
      name: peer.name,
      role: peer.role,
      outlet: peer.outlet,
      tracks: [...peer.tracks.values()],
    }));
    this.hooks.changed();
  }
}
