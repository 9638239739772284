import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import type { ServerEventName, ServerEvents, StudioPeerInfo, StudioRole, TrackSource } from '@pressroom/protocol';
import { AppError, notFound } from '../common/app-error';
import type { StudioTrack } from '../media/studio-track';
import { STUDIO_MEDIA_CODECS } from './media-codecs';
import { clientMediaCall } from './media-error';
import { Peer, producerInfo, type ProducerAppData } from './peer';

/** How the room reaches its clients: every peer of the room, or one of them. */
export interface RoomMessenger {
  toRoom<E extends ServerEventName>(name: E, payload: ServerEvents[E]): void;
  toPeer<E extends ServerEventName>(peerId: string, name: E, payload: ServerEvents[E]): void;
}

/** For the room's owner: the tracks changed (the broadcast recomposes), or the room is gone. */
export interface RoomEvents {
  tracksChanged: [];
  closed: [reason: 'closed' | 'worker died'];
}

const MAX_PEERS = 16;

/**
 * The studio of one live event: a router on one worker, the peers in it, and who is speaking.
 * `close()` by the owner, or the worker's death, closes the router and with it every transport.
 */
export class Room extends EventEmitter<RoomEvents> {
  readonly #peers = new Map<string, Peer>();
  #closed = false;

  private constructor(
    readonly eventId: string,
    readonly worker: types.Worker,
    readonly router: types.Router,
    private readonly audioLevels: types.AudioLevelObserver,
    private readonly webRtcServer: types.WebRtcServer,
    private readonly messenger: RoomMessenger,
  ) {
    super();
    router.once('workerclose', () => this.shutDown('worker died'));
    audioLevels.on('volumes', ([loudest]) => {
      const peerId = (loudest?.producer.appData as ProducerAppData | undefined)?.peerId ?? null;
      this.messenger.toRoom('studio:activeSpeaker', { peerId });
    });
    audioLevels.on('silence', () => this.messenger.toRoom('studio:activeSpeaker', { peerId: null }));
  }

  static async create(
    eventId: string,
    worker: types.Worker,
    webRtcServer: types.WebRtcServer,
    messenger: RoomMessenger,
  ): Promise<Room> {
    const router = await worker.createRouter({ mediaCodecs: STUDIO_MEDIA_CODECS });
    const audioLevels = await router.createAudioLevelObserver({ maxEntries: 1, threshold: -60, interval: 800 });
    return new Room(eventId, worker, router, audioLevels, webRtcServer, messenger);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Enters a peer (replacing an earlier connection of the same participant); returns the others. */
  join(peer: Peer): StudioPeerInfo[] {
    const previous = this.#peers.get(peer.id);
    if (previous) this.leave(previous.id);
    if (this.#peers.size >= MAX_PEERS) throw new AppError('invalid_state', `The studio is full (${MAX_PEERS} people)`);
    const others = [...this.#peers.values()].map((other) => other.info());
    this.#peers.set(peer.id, peer);
    this.messenger.toRoom('studio:peerJoined', peer.info());
    return others;
  }

  leave(peerId: string): void {
    const peer = this.#peers.get(peerId);
    if (!peer) return;
    this.#peers.delete(peerId);
    const hadTracks = peer.producers.length > 0;
    peer.close();
    this.messenger.toRoom('studio:peerLeft', { peerId });
    if (hadTracks) this.emit('tracksChanged');
  }

  peer(peerId: string): Peer {
    const peer = this.#peers.get(peerId);
    if (!peer) throw new AppError('invalid_state', 'Join the studio first');
    return peer;
  }

  /** The participant's peer, if they are in the room. */
  peerOrNone(peerId: string): Peer | undefined {
    return this.#peers.get(peerId);
  }

  /** The peer, if it is the one this socket joined as. */
  peerOfSocket(peerId: string, socketId: string): Peer | undefined {
    const peer = this.#peers.get(peerId);
    return peer?.socketId === socketId ? peer : undefined;
  }

  /** On the worker's WebRTC server (its one UDP and one TCP port): UDP when it gets through, ICE over TCP when not. */
  async createTransport(peer: Peer, direction: 'send' | 'recv'): Promise<types.WebRtcTransport> {
    const transport = await this.router.createWebRtcTransport({
      webRtcServer: this.webRtcServer,
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      initialAvailableOutgoingBitrate: 1_000_000,
      appData: { direction },
    });
    peer.addTransport(transport);
    return transport;
  }

  async produce(
    peer: Peer,
    transportId: string,
    kind: types.MediaKind,
    rtpParameters: types.RtpParameters,
    source: TrackSource,
    paused = false,
  ): Promise<types.Producer<ProducerAppData>> {
    peer.assertCanProduce();
    if ((source === 'microphone') !== (kind === 'audio')) {
      throw new AppError('bad_request', `A ${source} track cannot be ${kind}`);
    }
    const transport = peer.transport(transportId);
    const producer = await clientMediaCall(() =>
      transport.produce<ProducerAppData>({ kind, rtpParameters, paused, appData: { peerId: peer.id, source } }),
    );
    peer.addProducer(producer);
    // Who is speaking is about the floor: an interpreter talks all the time, over everyone.
    if (kind === 'audio' && peer.onFloor) await this.audioLevels.addProducer({ producerId: producer.id });
    producer.observer.once('close', () => {
      if (this.#closed) return;
      this.messenger.toRoom('studio:producerClosed', { producerId: producer.id, peerId: peer.id });
      this.emit('tracksChanged');
    });
    this.messenger.toRoom('studio:newProducer', producerInfo(producer));
    this.emit('tracksChanged');
    return producer;
  }

  /** A paused consumer of another peer's producer; the client resumes it once its track exists. */
  async consume(
    peer: Peer,
    transportId: string,
    producerId: string,
    rtpCapabilities: types.RtpCapabilities,
  ): Promise<types.Consumer> {
    const transport = peer.transport(transportId);
    const producer = this.findProducer(producerId);
    if (producer.appData.peerId === peer.id) throw new AppError('bad_request', 'Your own track plays locally');
    if (!this.router.canConsume({ producerId, rtpCapabilities })) {
      throw new AppError('bad_request', 'Your browser cannot receive this track');
    }
    const consumer = await clientMediaCall(() =>
      transport.consume({ producerId, rtpCapabilities, paused: true, appData: { peerId: producer.appData.peerId } }),
    );
    peer.addConsumer(consumer);
    consumer.on('producerclose', () => {
      consumer.close();
      this.messenger.toPeer(peer.id, 'studio:consumerClosed', { consumerId: consumer.id });
    });
    return consumer;
  }

  async setProducerPaused(peer: Peer, producerId: string, paused: boolean): Promise<void> {
    const producer = peer.producer(producerId);
    if (paused) await producer.pause();
    else await producer.resume();
    this.messenger.toRoom('studio:producerPaused', { producerId, peerId: peer.id, paused });
    this.emit('tracksChanged');
  }

  findProducer(producerId: string): types.Producer<ProducerAppData> {
    for (const peer of this.#peers.values()) {
      const producer = peer.producers.find((p) => p.id === producerId);
      if (producer) return producer;
    }
    throw notFound('Producer');
  }

  /**
   * What the broadcast composes into the floor's picture and mix: every live, unpaused track of the
   * speakers, moderators and guests, with its speaker's name (a guest's with the outlet). Never the crew's.
   */
  tracks(): StudioTrack[] {
    return this.liveTracks((peer) => peer.onFloor);
  }

  /**
   * The crew's live, unpaused tracks, with role and language: interpreters' microphones (one audio
   * rendition per language) and signers' cameras (their fixed place in the picture). `tracksChanged`
   * fires for them too.
   */
  crewTracks(): StudioTrack[] {
    return this.liveTracks((peer) => !peer.onFloor);
  }

  /** The studio role of a producer's peer (the crew's tracks are not for everyone). */
  roleOfProducer(producerId: string): StudioRole | undefined {
    const peerId = this.findProducer(producerId).appData.peerId;
    return this.#peers.get(peerId)?.role;
  }

  private liveTracks(which: (peer: Peer) => boolean): StudioTrack[] {
    return [...this.#peers.values()].filter(which).flatMap((peer) =>
      peer.producers
        .filter((producer) => !producer.closed && !producer.paused)
        .map((producer) => ({
          producer,
          kind: producer.kind,
          source: producer.appData.source,
          speakerName: peer.label,
          role: peer.role,
          language: peer.language,
        })),
    );
  }

  onTracksChanged(listener: () => void): () => void {
    this.on('tracksChanged', listener);
    return () => this.off('tracksChanged', listener);
  }

  close(): void {
    this.shutDown('closed');
  }

  private shutDown(reason: RoomEvents['closed'][0]): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const peer of this.#peers.values()) peer.close();
    this.#peers.clear();
    if (!this.router.closed) this.router.close();
    this.emit('closed', reason);
  }
}
