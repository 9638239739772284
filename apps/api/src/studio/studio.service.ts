import { Injectable, Logger, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import type { types } from 'mediasoup';
import { EventEmitter } from 'node:events';
import {
  aRole,
  CREW_TRACK_SOURCES,
  FORGOTTEN_NAME,
  GUEST_TRACK_SOURCES,
  isCrewRole,
  type ActionReply,
  type ConsumerOptions,
  type StudioRole,
  type TrackSource,
  type TransportOptions,
} from '@pressroom/protocol';
import type { Session } from '../common/session';
import { BroadcastService } from '../broadcast/broadcast.service';
import { AppError } from '../common/app-error';
import { Environment } from '../config/environment';
import { EventsService } from '../events/events.service';
import type { PressEvent } from '../events/press-event.entity';
import { MediaPlacement } from '../media/media-placement';
import { WorkerPool } from '../media/worker-pool';
import { LiveNotifier } from '../realtime/live-notifier';
import { rooms } from '../realtime/rooms';
import { StageService } from '../stage/stage.service';
import { clientMediaCall } from './media-error';
import { Peer } from './peer';
import { Room, type RoomMessenger } from './room';
import { TurnCredentials } from './turn-credentials';

type JoinReply = Extract<ActionReply<'studio:join'>, { ok: true }>;

/** For the crew's presence: the tracks of an event's studio changed (published, paused, closed, peer left). */
export interface StudioObserverEvents {
  trackschanged: [eventId: string];
}

/**
 * The studio rooms, one per event, created when the first speaker or moderator joins. A journalist on
 * stage joins as a guest (`StudioGuestGuard` lets only them in); when their turn ends the stage tells
 * us and their peer leaves at once.
 */
@Injectable()
export class StudioService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(StudioService.name);
  private readonly rooms = new Map<string, Promise<Room>>();
  private readonly turn: TurnCredentials;
  readonly observer = new EventEmitter<StudioObserverEvents>();

  constructor(
    private readonly pool: WorkerPool,
    private readonly events: EventsService,
    private readonly notifier: LiveNotifier,
    private readonly broadcasts: BroadcastService,
    private readonly stage: StageService,
    environment: Environment,
    /** Several API nodes: tells when another node took an event over (cluster/). */
    @Optional() private readonly placement?: MediaPlacement,
  ) {
    this.turn = new TurnCredentials(environment);
  }

  onModuleInit(): void {
    this.events.observer.on('statuschange', this.onStatusChange);
    this.stage.observer.on('ended', this.onTurnEnded);
    this.stage.observer.on('muted', this.onGuestMuted);
    this.placement?.observer.on('lost', this.onLost);
  }

  onApplicationShutdown(): void {
    this.events.observer.off('statuschange', this.onStatusChange);
    this.stage.observer.off('ended', this.onTurnEnded);
    this.stage.observer.off('muted', this.onGuestMuted);
    this.placement?.observer.off('lost', this.onLost);
    for (const eventId of this.rooms.keys()) void this.closeRoom(eventId);
  }

  async join(session: Session, socketId: string): Promise<Omit<JoinReply, 'ok'>> {
    EventsService.assertOpenForAudience(await this.events.findById(session.eventId));
    const room = await this.roomOf(session.eventId);
    // A guest whose turn ended while the room was being made does not get in.
    this.assertStillOnStage(session);
    const role: StudioRole =
      session.role === 'journalist'
        ? 'guest'
        : session.role === 'moderator' || isCrewRole(session.role)
          ? session.role
          : 'speaker';
    const outlet = role === 'guest' ? session.outlet : null;
    // A journalist who used "forget me" has no name any more: their tile says "A participant" (in each page's language).
    const name = session.name ?? (role === 'guest' ? FORGOTTEN_NAME : 'Moderator');
    const peers = room.join(new Peer(session.participantId, name, role, socketId, outlet, session.language ?? null));
    return { routerRtpCapabilities: room.router.rtpCapabilities, peers };
  }

  async leave(session: Session, socketId: string): Promise<void> {
    const room = await this.existingRoom(session.eventId);
    if (room?.peerOfSocket(session.participantId, socketId)) room.leave(session.participantId);
  }

  async createTransport(session: Session, socketId: string, direction: 'send' | 'recv'): Promise<TransportOptions> {
    const { room, peer } = await this.peerOf(session, socketId);
    const transport = await room.createTransport(peer, direction);
    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
      iceServers: this.turn.for(session.participantId),
    };
  }

  async connectTransport(
    session: Session,
    socketId: string,
    transportId: string,
    dtlsParameters: types.DtlsParameters,
  ) {
    const { peer } = await this.peerOf(session, socketId);
    const transport = peer.transport(transportId);
    await clientMediaCall(() => transport.connect({ dtlsParameters }));
  }

  async produce(
    session: Session,
    socketId: string,
    request: { transportId: string; kind: types.MediaKind; rtpParameters: types.RtpParameters; source: TrackSource },
  ): Promise<string> {
    const guest = session.role === 'journalist';
    if (guest && !GUEST_TRACK_SOURCES.includes(request.source)) {
      throw new AppError(
        'forbidden',
        `A guest on stage may publish a microphone and a camera, not a ${request.source}`,
      );
    }
    if (isCrewRole(session.role) && !CREW_TRACK_SOURCES[session.role].includes(request.source)) {
      const may = CREW_TRACK_SOURCES[session.role];
      throw new AppError(
        'forbidden',
        `${aRole(session.role)} may publish ${may.length ? `a ${may.join(' and a ')} only` : 'no media'}, not a ${request.source}`,
      );
    }
    const { room, peer } = await this.peerOf(session, socketId);
    const muted = guest && request.kind === 'audio' && this.stage.isMuted(session.participantId);
    const producer = await room.produce(
      peer,
      request.transportId,
      request.kind,
      request.rtpParameters,
      request.source,
      muted,
    );
    if (guest && !this.stage.mayUseStudio(session)) {
      // The turn ended while the track was being made: it goes at once.
      producer.close();
      this.assertStillOnStage(session);
    }
    return producer.id;
  }

  async consume(
    session: Session,
    socketId: string,
    request: { transportId: string; producerId: string; rtpCapabilities: types.RtpCapabilities },
  ): Promise<ConsumerOptions> {
    const { room, peer } = await this.peerOf(session, socketId);
    // An interpreter's voice is for their language's audio rendition: the floor does not hear it (moderators may listen in).
    if (session.role !== 'moderator' && room.roleOfProducer(request.producerId) === 'interpreter') {
      throw new AppError(
        'forbidden',
        "An interpreter's voice goes to the broadcast only: only moderators may listen in",
      );
    }
    const consumer = await room.consume(peer, request.transportId, request.producerId, request.rtpCapabilities);
    const producer = room.findProducer(request.producerId);
    return {
      consumerId: consumer.id,
      producerId: producer.id,
      peerId: producer.appData.peerId,
      kind: consumer.kind,
      source: producer.appData.source,
      rtpParameters: consumer.rtpParameters,
      producerPaused: consumer.producerPaused,
    };
  }

  async resumeConsumer(session: Session, socketId: string, consumerId: string): Promise<void> {
    const { peer } = await this.peerOf(session, socketId);
    await peer.consumer(consumerId).resume();
  }

  async setProducerPaused(session: Session, socketId: string, producerId: string, paused: boolean): Promise<void> {
    const { room, peer } = await this.peerOf(session, socketId);
    if (!paused && session.role === 'journalist' && this.stage.isMuted(session.participantId)) {
      if (peer.producer(producerId).kind === 'audio')
        throw new AppError('forbidden', 'A moderator muted your microphone');
    }
    await room.setProducerPaused(peer, producerId, paused);
  }

  async closeProducer(session: Session, socketId: string, producerId: string): Promise<void> {
    const { peer } = await this.peerOf(session, socketId);
    peer.producer(producerId).close();
  }

  /** The room of an event, if one is open: the broadcast composes its tracks. */
  existingRoom(eventId: string): Promise<Room | undefined> {
    return this.rooms.get(eventId)?.catch(() => undefined) ?? Promise.resolve(undefined);
  }

  /** Creating is serialised per event: two speakers joining at once share one room. */
  private roomOf(eventId: string): Promise<Room> {
    let room = this.rooms.get(eventId);
    if (!room) {
      const worker = this.pool.next();
      room = Room.create(eventId, worker, this.pool.webRtcServerOf(worker), this.messengerFor(eventId));
      this.rooms.set(eventId, room);
      room.then(
        (created) => {
          this.broadcasts.attachInput(eventId, created);
          created.onTracksChanged(() => this.observer.emit('trackschanged', eventId));
          created.once('closed', (reason) => this.roomClosed(eventId, created, reason));
        },
        () => this.rooms.delete(eventId),
      );
    }
    return room;
  }

  private readonly onStatusChange = (event: PressEvent): void => {
    if (event.status === 'ended' || event.status === 'purged') void this.closeRoom(event.id);
  };

  /** The guest's turn ended: their peer leaves the room (closing every track of theirs) and the studio's socket room. */
  private readonly onTurnEnded = (eventId: string, participantId: string): void => {
    this.notifier.leave(participantId, rooms.studio(eventId));
    void this.existingRoom(eventId).then((room) => room?.leave(participantId));
  };

  /** A moderator muted or unmuted a guest: their microphone pauses or resumes for the studio and the broadcast. */
  private readonly onGuestMuted = (eventId: string, participantId: string, muted: boolean): void => {
    void this.existingRoom(eventId).then(async (room) => {
      const peer = room?.peerOrNone(participantId);
      if (!room || !peer) return;
      for (const producer of peer.producers.filter((p) => p.kind === 'audio' && p.paused !== muted)) {
        await room.setProducerPaused(peer, producer.id, muted).catch(() => undefined);
      }
    });
  };

  private assertStillOnStage(session: Session): void {
    if (!this.stage.mayUseStudio(session)) throw new AppError('forbidden', 'Your turn on stage has ended');
  }

  private roomClosed(eventId: string, room: Room, reason: 'closed' | 'worker died'): void {
    void this.rooms.get(eventId)?.then((current) => {
      // A room let go quietly (`onLost`) is no longer the event's: its peers are already elsewhere.
      if (current !== room) return;
      this.rooms.delete(eventId);
      this.broadcasts.detachInput(eventId);
      this.observer.emit('trackschanged', eventId);
      if (reason === 'worker died') this.logger.warn(`studio of event ${eventId} lost its media worker; peers rejoin`);
      this.notifier.toStudio(eventId, 'studio:reset', {
        reason: reason === 'worker died' ? 'The media server restarted' : 'The studio closed',
      });
    });
  }

  /**
   * Another node holds the event now (this one was cut off or frozen past its lease): its room here closes
   * without a word to the studio, whose peers were told to join the new holder's when it took over.
   */
  private readonly onLost = (eventId: string): void => {
    const room = this.rooms.get(eventId);
    if (!room) return;
    this.rooms.delete(eventId);
    this.broadcasts.detachInput(eventId);
    void room.then((lost) => lost.close()).catch(() => undefined);
  };

  private async closeRoom(eventId: string): Promise<void> {
    (await this.existingRoom(eventId))?.close();
  }

  private async peerOf(session: Session, socketId: string): Promise<{ room: Room; peer: Peer }> {
    const room = await this.existingRoom(session.eventId);
    const peer = room?.peerOfSocket(session.participantId, socketId);
    if (!room || room.closed || !peer) throw new AppError('invalid_state', 'Join the studio first');
    return { room, peer };
  }

  private messengerFor(eventId: string): RoomMessenger {
    return {
      toRoom: (name, payload) => this.notifier.toStudio(eventId, name, payload),
      toPeer: (peerId, name, payload) => this.notifier.toParticipant(peerId, name, payload),
    };
  }
}
