import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Role } from '@pressroom/protocol';
import { FindOptionsWhere, IsNull, Not, Repository } from 'typeorm';
import { AppError, notFound } from '../common/app-error';
import { newId } from '../common/ids';
import { LiveNotifier } from '../realtime/live-notifier';
import { Participant } from './participant.entity';

type NewParticipant = Pick<Participant, 'eventId' | 'role' | 'name' | 'outlet'> &
  Partial<Pick<Participant, 'moderatorId' | 'inviteId'>>;

const AUDIENCE: readonly Role[] = ['journalist', 'viewer'];

@Injectable()
export class ParticipantsService {
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

  private async audienceMember(eventId: string, participantId: string): Promise<Participant> {
    const participant = await this.participants.findOneBy({ id: participantId, eventId });
    if (!participant) throw notFound('Participant');
    if (!AUDIENCE.includes(participant.role)) {
      throw new AppError('forbidden', 'Only audience members can be muted or banned; revoke a speaker invite instead');
    }
    return participant;
  }
}
