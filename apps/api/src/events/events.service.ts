import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { InjectRepository } from '@nestjs/typeorm';
import type { EventDetails, EventStats, EventStatus, PublicEvent, UiLanguage } from '@pressroom/protocol';
import { EntityManager, MoreThanOrEqual, Repository } from 'typeorm';
import { hashPassword } from '../auth/password';
import { AppError, notFound } from '../common/app-error';
import { newId } from '../common/ids';
import { LiveNotifier } from '../realtime/live-notifier';
import { CreateEventDto, UpdateEventDto } from './event.dto';
import { purgeDueAt, toEventDetails, toPublicEvent } from './event-views';
import { PressEvent } from './press-event.entity';
import { slugFromTitle } from './slug';

const NEXT_STATUS: Record<'start' | 'end', { from: EventStatus[]; to: EventStatus }> = {
  start: { from: ['scheduled'], to: 'live' },
  end: { from: ['scheduled', 'live'], to: 'ended' },
};

/** What the events domain tells the rest of the server. */
export interface EventsObserverEvents {
  /** Every start, end and purge, for what runs alongside an event (the studio, the broadcast). */
  statuschange: [event: PressEvent];
  /** The title or the language changed (the broadcast's slate shows both). */
  detailschange: [event: PressEvent];
}

@Injectable()
export class EventsService {
  /** Listeners must not throw: they run inside the change that emits. */
  readonly observer = new EventEmitter<EventsObserverEvents>();

  constructor(
    @InjectRepository(PressEvent) private readonly events: Repository<PressEvent>,
    private readonly notifier: LiveNotifier,
  ) {}

  async create(dto: CreateEventDto, moderatorId: string): Promise<EventDetails> {
    const slug = dto.slug ?? slugFromTitle(dto.title);
    if (await this.events.existsBy({ slug })) throw new AppError('slug_taken', `The slug "${slug}" is taken`);
    const event = await this.events.save({
      id: newId(),
      slug,
      title: dto.title,
      description: dto.description ?? '',
      startsAt: new Date(dto.startsAt),
      passwordHash: dto.password ? await hashPassword(dto.password) : null,
      chatMode: dto.chatMode ?? 'post',
      questionsEnabled: dto.questionsEnabled ?? true,
      retentionHours: dto.retentionHours ?? 0,
      slowModeSeconds: dto.slowModeSeconds ?? 0,
      joinLocked: false,
      language: dto.language ?? null,
      status: 'scheduled',
      createdBy: moderatorId,
      createdAt: new Date(),
      startedAt: null,
      endedAt: null,
      purgedAt: null,
      stats: null,
    });
    return toEventDetails(event);
  }

  async update(slug: string, dto: UpdateEventDto): Promise<EventDetails> {
    const event = await this.findOpen(slug);
    const { password, startsAt, ...plain } = dto;
    const shown = [event.title, event.language];
    Object.assign(event, plain);
    if (startsAt !== undefined) event.startsAt = new Date(startsAt);
    if (password !== undefined) event.passwordHash = password === null ? null : await hashPassword(password);
    await this.events.save(event);
    this.notifier.toEvent(event.id, 'event:status', { status: event.status, event: toPublicEvent(event) });
    if (event.title !== shown[0] || event.language !== shown[1]) this.observer.emit('detailschange', event);
    return toEventDetails(event);
  }

  async list(): Promise<EventDetails[]> {
    const events = await this.events.find({ order: { startsAt: 'DESC' } });
    return events.map(toEventDetails);
  }

  async publicBySlug(slug: string): Promise<PublicEvent> {
    return toPublicEvent(await this.findBySlug(slug));
  }

  /** The language an event's pages open in (null: each visitor's own, or no such event). */
  async languageOf(slug: string): Promise<UiLanguage | null> {
    const event = await this.events.findOne({ where: { slug }, select: { language: true } });
    return event?.language ?? null;
  }

  async detailsBySlug(slug: string): Promise<EventDetails> {
    return toEventDetails(await this.findBySlug(slug));
  }

  start(slug: string): Promise<EventDetails> {
    return this.transition(slug, 'start');
  }

  end(slug: string): Promise<EventDetails> {
    return this.transition(slug, 'end');
  }

  /** Ended events whose retention has passed by `now`. */
  async duePurge(now: Date): Promise<PressEvent[]> {
    const ended = await this.events.findBy({ status: 'ended' });
    return ended.filter((event) => purgeDueAt(event)!.getTime() <= now.getTime());
  }

  /** Whether an event was purged at or after `since`. */
  purgedSince(since: Date): Promise<boolean> {
    return this.events.existsBy({ status: 'purged', purgedAt: MoreThanOrEqual(since) });
  }

  /**
   * Marks an ended event purged and runs `erase` (every domain's part of the purge, returning the counts
   * kept) in the same transaction, then announces it like every status change. Resolves null, erasing
   * nothing, when the event is not `ended` (purged meanwhile by another pass or API node).
   */
  async purge(eventId: string, erase: (manager: EntityManager) => Promise<EventStats>): Promise<PressEvent | null> {
    const purged = await this.events.manager.transaction(async (manager) => {
      const claimed = await manager.update(
        PressEvent,
        { id: eventId, status: 'ended' },
        { status: 'purged', purgedAt: new Date() },
      );
      if (claimed.affected !== 1) return null;
      await manager.update(PressEvent, { id: eventId }, { stats: await erase(manager) });
      return manager.findOneByOrFail(PressEvent, { id: eventId });
    });
    if (purged) this.announce(purged);
    return purged;
  }

  async findBySlug(slug: string): Promise<PressEvent> {
    const event = typeof slug === 'string' && slug.length <= 64 ? await this.events.findOneBy({ slug }) : null;
    if (!event) throw notFound('Event');
    return event;
  }

  async findById(id: string): Promise<PressEvent> {
    const event = await this.events.findOneBy({ id });
    if (!event) throw notFound('Event');
    return event;
  }

  /** An event that still takes part: not purged. */
  async findOpen(slug: string): Promise<PressEvent> {
    const event = await this.findBySlug(slug);
    if (event.status === 'purged') throw new AppError('event_purged', 'This event has ended and its data was purged');
    return event;
  }

  /** Throws unless the audience may still act in the event (scheduled or live). */
  static assertOpenForAudience(event: PressEvent): void {
    if (event.status === 'ended' || event.status === 'purged') {
      throw new AppError('event_closed', 'This event has ended');
    }
  }

  private async transition(slug: string, action: 'start' | 'end'): Promise<EventDetails> {
    const event = await this.findOpen(slug);
    const { from, to } = NEXT_STATUS[action];
    if (!from.includes(event.status)) {
      throw new AppError('invalid_transition', `Cannot ${action} an event that is ${event.status}`);
    }
    event.status = to;
    if (to === 'live') event.startedAt = new Date();
    if (to === 'ended') event.endedAt = new Date();
    await this.events.save(event);
    this.announce(event);
    return toEventDetails(event);
  }

  /** Tells the event's clients and what runs alongside it (the studio, the broadcast) its new status. */
  private announce(event: PressEvent): void {
    this.notifier.toEvent(event.id, 'event:status', { status: event.status, event: toPublicEvent(event) });
    this.observer.emit('statuschange', event);
  }
}
