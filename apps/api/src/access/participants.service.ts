import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EventStats, Role } from '@pressroom/protocol';
import { EntityManager, FindOptionsWhere, IsNull, Not, Repository } from 'typeorm';
import { AppError, notFound } from '../common/app-error';
import type { EventPurgeStep } from '../common/event-purge';
import { newId } from '../common/ids';
import { LiveNotifier } from '../realtime/live-notifier';
import { Participant } from './participant.entity';

type NewParticipant = Pick<Participant, 'eventId' | 'role' | 'name' | 'outlet'> &
  Partial<Pick<Participant, 'moderatorId' | 'inviteId'>>;

const AUDIENCE: readonly Role[] = ['journalist', 'viewer'];

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

  async setMuted(eventId: string, participantId: string, muted: boolean): Promise<Participant> {
    const participant = await this.audienceMember(eventId, participantId);
    await this.participants.update(participant.id, { muted });
    this.notifier.toParticipant(participant.id, 'user:status', { muted });
    return { ...participant, muted };
  }

  /** The participant's token stops working and their open connections are cut. */
  async ban(eventId: string, participantId: string): Promise<Participant> {
    const participant = await this.audienceMember(eventId, participantId);
    const bannedAt = new Date();
    await this.participants.update(participant.id, { bannedAt });
    this.notifier.toParticipant(participant.id, 'user:banned', { reason: 'A moderator removed you from this event' });
    this.notifier.disconnectParticipant(participant.id);
    return { ...participant, bannedAt };
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

  private async audienceMember(eventId: string, participantId: string): Promise<Participant> {
    const participant = await this.participants.findOneBy({ id: participantId, eventId });
    if (!participant) throw notFound('Participant');
    if (!AUDIENCE.includes(participant.role)) {
      throw new AppError('forbidden', 'Only audience members can be muted or banned; revoke a speaker invite instead');
    }
    return participant;
  }
}
