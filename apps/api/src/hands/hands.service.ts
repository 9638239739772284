import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { InjectRepository } from '@nestjs/typeorm';
import type { EventStats, HandStatus, HandView } from '@pressroom/protocol';
import { EntityManager, In, Repository } from 'typeorm';
import { ParticipantsService } from '../access/participants.service';
import type { Session } from '../common/session';
import { AppError, notFound } from '../common/app-error';
import type { EventPurgeStep } from '../common/event-purge';
import { newId } from '../common/ids';
import { EventsService } from '../events/events.service';
import { AuditService } from '../moderation/audit.service';
import { LiveNotifier } from '../realtime/live-notifier';
import { Hand } from './hand.entity';

const IN_QUEUE: HandStatus[] = ['raised', 'acknowledged'];

export function toHandView(hand: Hand): HandView {
  return {
    id: hand.id,
    participantId: hand.participantId,
    name: hand.name,
    outlet: hand.outlet,
    topic: hand.topic,
    status: hand.status,
    raisedAt: hand.raisedAt.toISOString(),
  };
}

/** What the hands domain tells the rest of the server. */
export interface HandsObserverEvents {
  /** A hand left the queue because its journalist lowered it or a moderator dismissed it. */
  withdrawn: [hand: HandView, by: 'journalist' | 'moderator', eventId: string];
}

/** Raised hands: one per journalist at a time, queued in the order they went up. */
@Injectable()
export class HandsService implements EventPurgeStep {
  readonly purgedEntities = [Hand];
  /** Listeners must not throw: they run inside the change that emits. */
  readonly observer = new EventEmitter<HandsObserverEvents>();

  constructor(
    @InjectRepository(Hand) private readonly hands: Repository<Hand>,
    private readonly events: EventsService,
    private readonly participants: ParticipantsService,
    private readonly audit: AuditService,
    private readonly notifier: LiveNotifier,
  ) {}

  async raise(session: Session, topic: string | undefined): Promise<HandView> {
    EventsService.assertOpenForAudience(await this.events.findById(session.eventId));
    if (await this.ownHand(session.participantId)) throw new AppError('already_raised', 'Your hand is already up');
    const journalist = await this.participants.get(session.participantId);
    const hand = await this.hands.save({
      id: newId(),
      eventId: session.eventId,
      participantId: journalist.id,
      name: journalist.name ?? '',
      outlet: journalist.outlet ?? '',
      topic: topic || null,
      status: 'raised',
      raisedAt: new Date(),
    });
    await this.changed(hand);
    return toHandView(hand);
  }

  async lower(session: Session): Promise<void> {
    const hand = await this.ownHand(session.participantId);
    if (!hand) return;
    await this.setStatus(hand, 'lowered');
    this.observer.emit('withdrawn', toHandView(hand), 'journalist', hand.eventId);
  }

  async acknowledge(session: Session, handId: string): Promise<void> {
    const hand = await this.queued(session.eventId, handId);
    await this.setStatus(hand, 'acknowledged');
    await this.audit.record(session, 'hand:ack', 'hand', hand.id);
  }

  async dismiss(session: Session, handId: string): Promise<void> {
    const hand = await this.queued(session.eventId, handId);
    await this.setStatus(hand, 'dismissed');
    this.observer.emit('withdrawn', toHandView(hand), 'moderator', hand.eventId);
    await this.audit.record(session, 'hand:dismiss', 'hand', hand.id);
  }

  /** A hand still in the event's queue (raised or acknowledged): the stage invites from it. */
  async findQueued(eventId: string, handId: string): Promise<HandView> {
    return toHandView(await this.queued(eventId, handId));
  }

  /** The journalist had their turn on stage: the hand leaves the queue as answered (if it is still there). */
  async markAnswered(handId: string): Promise<void> {
    const hand = await this.hands.findOneBy({ id: handId });
    if (hand && IN_QUEUE.includes(hand.status)) await this.setStatus(hand, 'answered');
  }

  async queue(eventId: string): Promise<HandView[]> {
    const hands = await this.hands.find({ where: { eventId, status: In(IN_QUEUE) }, order: { raisedAt: 'ASC' } });
    return hands.map(toHandView);
  }

  async ownHandView(participantId: string): Promise<HandView | null> {
    const hand = await this.ownHand(participantId);
    return hand ? toHandView(hand) : null;
  }

  async transcript(eventId: string): Promise<HandView[]> {
    const hands = await this.hands.find({ where: { eventId }, order: { raisedAt: 'ASC' } });
    return hands.map(toHandView);
  }

  /** The purge: every hand of the event goes (names, outlets, topics); their number stays. */
  async purgeEvent(manager: EntityManager, eventId: string): Promise<Pick<EventStats, 'hands'>> {
    const hands = await manager.countBy(Hand, { eventId });
    await manager.delete(Hand, { eventId });
    return { hands };
  }

  private ownHand(participantId: string): Promise<Hand | null> {
    return this.hands.findOneBy({ participantId, status: In(IN_QUEUE) });
  }

  private async queued(eventId: string, handId: string): Promise<Hand> {
    const hand = await this.hands.findOneBy({ id: handId, eventId });
    if (!hand) throw notFound('Hand');
    if (!IN_QUEUE.includes(hand.status)) throw new AppError('invalid_state', `This hand is ${hand.status}`);
    return hand;
  }

  private async setStatus(hand: Hand, status: HandStatus): Promise<void> {
    hand.status = status;
    await this.hands.save(hand);
    await this.changed(hand);
  }

  private async changed(hand: Hand): Promise<void> {
    this.notifier.toParticipant(hand.participantId, 'hand:status', {
      hand: IN_QUEUE.includes(hand.status) ? toHandView(hand) : null,
    });
    this.notifier.toModerators(hand.eventId, 'hand:queue', { hands: await this.queue(hand.eventId) });
  }
}
