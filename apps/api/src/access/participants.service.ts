import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EventStats } from '@pressroom/protocol';
import { EntityManager, FindOptionsWhere, IsNull, Not, Repository } from 'typeorm';
import { notFound } from '../common/app-error';
import type { EventPurgeStep } from '../common/event-purge';
import { newId } from '../common/ids';
import { LiveNotifier } from '../realtime/live-notifier';
import { Participant } from './participant.entity';

type NewParticipant = Pick<Participant, 'eventId' | 'role' | 'name' | 'outlet'> &
  Partial<Pick<Participant, 'moderatorId' | 'inviteId'>>;

@Injectable()
export class ParticipantsService implements EventPurgeStep {
  readonly purgedEntities = [Participant];

  constructor(
    @InjectRepository(Participant) private readonly participants: Repository<Participant>,
    private readonly notifier: LiveNotifier,
  ) {}

  create(fields: NewParticipant): Promise<Participant> {
    return this.participants.save({
      id: newId(),
      moderatorId: null,
      inviteId: null,
      ...fields,
      muted: false,
      bannedAt: null,
      createdAt: new Date(),
    });
  }

  findOne(where: FindOptionsWhere<Participant>): Promise<Participant | null> {
    return this.participants.findOneBy(where);
  }

  async get(participantId: string): Promise<Participant> {
    const participant = await this.participants.findOneBy({ id: participantId });
    if (!participant) throw notFound('Participant');
    return participant;
  }

  /** A participant of this event, or not found. */
  async inEvent(eventId: string, participantId: string): Promise<Participant> {
    const participant = await this.participants.findOneBy({ id: participantId, eventId });
    if (!participant) throw notFound('Participant');
    return participant;
  }

  /** Stores a mute or ban decided by the moderation domain. */
  async restrict(
    participant: Participant,
    change: Partial<Pick<Participant, 'muted' | 'bannedAt'>>,
  ): Promise<Participant> {
    await this.participants.update(participant.id, change);
    return { ...participant, ...change };
  }

  /** The ids of the event's banned participants. */
  async bannedIds(eventId: string): Promise<string[]> {
    const banned = await this.participants.find({ select: { id: true }, where: { eventId, bannedAt: Not(IsNull()) } });
    return banned.map(({ id }) => id);
  }

  /** The event's muted or banned participants, in the order they joined. */
  restricted(eventId: string): Promise<Participant[]> {
    return this.participants.find({
      where: [
        { eventId, muted: true },
        { eventId, bannedAt: Not(IsNull()) },
      ],
      order: { createdAt: 'ASC' },
    });
  }

  async disconnectInvite(inviteId: string): Promise<void> {
    for (const speaker of await this.participants.findBy({ inviteId })) this.notifier.disconnectParticipant(speaker.id);
  }

  /** The purge: every participant of the event goes (names, outlets, mute and ban state); the numbers stay. */
  async purgeEvent(manager: EntityManager, eventId: string): Promise<Pick<EventStats, 'participants' | 'journalists'>> {
    const [participants, journalists] = await Promise.all([
      manager.countBy(Participant, { eventId }),
      manager.countBy(Participant, { eventId, role: 'journalist' }),
    ]);
    await manager.delete(Participant, { eventId });
    return { participants, journalists };
  }
}
