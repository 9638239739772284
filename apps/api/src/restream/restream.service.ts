import {
  Injectable,
  Optional,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { maskStreamKey, RESTREAM_LIMITS, type RestreamDestinationView, type RestreamStatus } from '@pressroom/protocol';
import { EntityManager, Repository } from 'typeorm';
import { BroadcastService } from '../broadcast/broadcast.service';
import { AppError, notFound } from '../common/app-error';
import type { EventPurgeStep } from '../common/event-purge';
import { newId } from '../common/ids';
import { Environment } from '../config/environment';
import { EventsService } from '../events/events.service';
import { MediaPlacement } from '../media/media-placement';
import type { PressEvent } from '../events/press-event.entity';
import { LiveNotifier } from '../realtime/live-notifier';
import { RestreamDestination } from './restream-destination.entity';
import { CreateRestreamDestinationDto, UpdateRestreamDestinationDto } from './restream.dto';
import { RestreamPush } from './restream-push';

const IDLE: Omit<RestreamStatus, 'since'> = { state: 'idle', reason: null, retryAt: null };

/**
 * Restreaming to platforms: an event's RTMP(S) destinations (kept with their stream keys, shown masked),
 * changed only before the event goes live; from its start to its end, one `RestreamPush` per destination
 * copies the broadcast's program to it. Moderators get each push's state on the live socket.
 */
@Injectable()
export class RestreamService implements EventPurgeStep, OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  readonly purgedEntities = [RestreamDestination];
  readonly #logger = new Logger(RestreamService.name);
  /** The pushes of every live event, by event id then destination id. */
  readonly #pushes = new Map<string, Map<string, RestreamPush>>();
  /** Events whose pushes run (or are being started). */
  readonly #live = new Set<string>();
  readonly #ffmpegPath: string;
  readonly #caFile: string;
  #stopping = false;

  constructor(
    @InjectRepository(RestreamDestination) private readonly destinations: Repository<RestreamDestination>,
    private readonly events: EventsService,
    private readonly broadcasts: BroadcastService,
    private readonly notifier: LiveNotifier,
    environment: Environment,
    @Optional() private readonly placement?: MediaPlacement,
  ) {
    this.#ffmpegPath = environment.FFMPEG_PATH;
    this.#caFile = environment.RESTREAM_CA_FILE;
  }

  onModuleInit(): void {
    this.events.observer.on('statuschange', this.#onStatusChange);
    this.placement?.observer.on('lost', this.#onLost);
  }

  /** Events live when the API starts (again) push again. */
  async onApplicationBootstrap(): Promise<void> {
    for (const event of await this.events.list()) {
      if (event.status === 'live') void this.#startEvent(event.id).catch(this.#logError);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.#stopping = true;
    this.events.observer.off('statuschange', this.#onStatusChange);
    this.placement?.observer.off('lost', this.#onLost);
    await Promise.all([...this.#live].map((eventId) => this.#stopEvent(eventId)));
  }

  async list(slug: string): Promise<RestreamDestinationView[]> {
    const event = await this.events.findOpen(slug);
    return this.#views(event.id);
  }

  async add(slug: string, dto: CreateRestreamDestinationDto): Promise<RestreamDestinationView> {
    const event = await this.#changeable(slug);
    const count = await this.destinations.countBy({ eventId: event.id });
    if (count >= RESTREAM_LIMITS.destinationsPerEvent) {
      throw new AppError(
        'restream_full',
        `An event may have at most ${RESTREAM_LIMITS.destinationsPerEvent} restream destinations`,
      );
    }
    const destination = await this.destinations.save({
      id: newId(),
      eventId: event.id,
      name: dto.name,
      url: dto.url,
      streamKey: dto.streamKey,
      createdAt: new Date(),
    });
    await this.#announceDestinations(event.id);
    return this.#view(destination);
  }

  async update(slug: string, id: string, dto: UpdateRestreamDestinationDto): Promise<RestreamDestinationView> {
    const event = await this.#changeable(slug);
    const destination = await this.#find(event.id, id);
    if (dto.name !== undefined) destination.name = dto.name;
    if (dto.url !== undefined) destination.url = dto.url;
    if (dto.streamKey !== undefined) destination.streamKey = dto.streamKey;
    await this.destinations.save(destination);
    await this.#announceDestinations(event.id);
    return this.#view(destination);
  }

  async remove(slug: string, id: string): Promise<void> {
    const event = await this.#changeable(slug);
    await this.destinations.delete({ id: (await this.#find(event.id, id)).id });
    await this.#announceDestinations(event.id);
  }

  /** The purge: the destinations and their keys go with the event (its pushes stopped at its end). */
  async purgeEvent(manager: EntityManager, eventId: string): Promise<Record<string, never>> {
    await this.#stopEvent(eventId);
    await manager.delete(RestreamDestination, { eventId });
    return {};
  }

  /** An event whose destinations may change: neither live (its pushes run) nor ended. */
  async #changeable(slug: string): Promise<PressEvent> {
    const event = await this.events.findOpen(slug);
    if (event.status === 'live') {
      throw new AppError('restream_locked', 'Restream destinations cannot change while the event is live');
    }
    if (event.status !== 'scheduled') throw new AppError('event_closed', 'This event has ended');
    return event;
  }

  async #find(eventId: string, id: string): Promise<RestreamDestination> {
    const destination =
      typeof id === 'string' && id.length <= 36 ? await this.destinations.findOneBy({ id, eventId }) : null;
    if (!destination) throw notFound('Restream destination');
    return destination;
  }

  readonly #onStatusChange = (event: PressEvent): void => {
    if (event.status === 'live') void this.#startEvent(event.id).catch(this.#logError);
    else if (event.status === 'ended' || event.status === 'purged')
      void this.#stopEvent(event.id).catch(this.#logError);
  };

  /** Another node holds the event now (cluster/): it pushes; the pushes from here stop (no platform gets two). */
  readonly #onLost = (eventId: string): void => void this.#stopEvent(eventId).catch(this.#logError);

  async #startEvent(eventId: string): Promise<void> {
    if (this.#stopping || this.#live.has(eventId)) return;
    // Several API nodes: the pushes run beside the broadcast, on the node that holds the event (cluster/).
    if (this.placement && !(await this.placement.isHere(eventId))) return;
    if (this.#stopping || this.#live.has(eventId)) return;
    this.#live.add(eventId);
    const destinations = await this.destinations.find({ where: { eventId }, order: { createdAt: 'ASC' } });
    // Ended (or the API stopping) while the destinations were read.
    if (!this.#live.has(eventId) || this.#stopping) return;
    const pushes = new Map<string, RestreamPush>();
    this.#pushes.set(eventId, pushes);
    for (const destination of destinations) {
      const push = new RestreamPush({
        destination,
        ffmpegPath: this.#ffmpegPath,
        caFile: this.#caFile,
        programSource: async () => (await this.broadcasts.programSource(eventId))?.playlist,
        onStatus: (status) => this.#statusChanged(eventId, destination, status),
      });
      pushes.set(destination.id, push);
      push.start();
    }
  }

  async #stopEvent(eventId: string): Promise<void> {
    this.#live.delete(eventId);
    const pushes = this.#pushes.get(eventId);
    this.#pushes.delete(eventId);
    if (pushes) await Promise.all([...pushes.values()].map((push) => push.close()));
  }

  #statusChanged(eventId: string, destination: RestreamDestination, status: RestreamStatus): void {
    const name = JSON.stringify(destination.name);
    if (status.state === 'live') this.#logger.log(`event ${eventId}: restream ${name} is live`);
    if (status.state === 'failed') this.#logger.warn(`event ${eventId}: restream ${name} failed: ${status.reason}`);
    this.notifier.toModerators(eventId, 'restream:status', { destinationId: destination.id, status });
  }

  async #announceDestinations(eventId: string): Promise<void> {
    this.notifier.toModerators(eventId, 'restream:destinations', { destinations: await this.#views(eventId) });
  }

  async #views(eventId: string): Promise<RestreamDestinationView[]> {
    const destinations = await this.destinations.find({ where: { eventId }, order: { createdAt: 'ASC' } });
    return destinations.map((destination) => this.#view(destination));
  }

  #view(destination: RestreamDestination): RestreamDestinationView {
    const push = this.#pushes.get(destination.eventId)?.get(destination.id);
    return {
      id: destination.id,
      name: destination.name,
      url: destination.url,
      streamKeyHint: maskStreamKey(destination.streamKey),
      createdAt: destination.createdAt.toISOString(),
      status: push?.status ?? { ...IDLE, since: destination.createdAt.toISOString() },
    };
  }

  readonly #logError = (error: unknown) =>
    this.#logger.error(`restream: ${error instanceof Error ? error.message : String(error)}`);
}
