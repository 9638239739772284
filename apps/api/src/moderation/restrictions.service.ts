import { EventEmitter } from 'node:events';
import { Injectable } from '@nestjs/common';
import type { RestrictionView, Role } from '@pressroom/protocol';
import type { Participant } from '../access/participant.entity';
import { ParticipantsService } from '../access/participants.service';
import type { Session } from '../common/session';
import { AppError } from '../common/app-error';
import { LiveNotifier } from '../realtime/live-notifier';
import { AuditService } from './audit.service';

const AUDIENCE: readonly Role[] = ['journalist', 'viewer'];

function toRestrictionView(participant: Participant): RestrictionView {
  return {
    participantId: participant.id,
    name: participant.name,
    outlet: participant.outlet,
    role: participant.role,
    muted: participant.muted,
    banned: participant.bannedAt !== null,
  };
}

/** For the domains above: someone was banned (the stage ends their turn at once). */
export interface RestrictionsObserverEvents {
  banned: [eventId: string, participantId: string];
}

/**
 * Muting and banning audience members: who may be, what the person is told, the audit. Every moderator of
 * the event hears of each change, whichever moderator made it and on whichever API node, so a moderation
 * team sees the same list. The state itself is stored on the participant (access/).
 */
@Injectable()
export class RestrictionsService {
  readonly observer = new EventEmitter<RestrictionsObserverEvents>();

  constructor(
    private readonly participants: ParticipantsService,
    private readonly audit: AuditService,
    private readonly notifier: LiveNotifier,
  ) {}

  async setMuted(moderator: Session, participantId: string, muted: boolean): Promise<void> {
    const participant = await this.participants.restrict(await this.audienceMember(moderator, participantId), {
      muted,
    });
    this.notifier.toParticipant(participant.id, 'user:status', { muted });
    await this.audit.record(moderator, muted ? 'user:mute' : 'user:unmute', 'participant', participant.id);
    this.notifier.toModerators(moderator.eventId, 'user:restriction', toRestrictionView(participant));
  }

  /** The participant's token stops working and their open connections are cut. */
  async ban(moderator: Session, participantId: string): Promise<void> {
    const target = await this.audienceMember(moderator, participantId);
    const participant = await this.participants.restrict(target, { bannedAt: new Date() });
    this.notifier.toParticipant(participant.id, 'user:banned', { reason: 'A moderator removed you from this event' });
    this.notifier.disconnectParticipant(participant.id);
    this.observer.emit('banned', moderator.eventId, participant.id);
    await this.audit.record(moderator, 'user:ban', 'participant', participant.id);
    this.notifier.toModerators(moderator.eventId, 'user:restriction', toRestrictionView(participant));
  }

  /** Who is muted or banned in the event now, for the moderators' snapshot. */
  async list(eventId: string): Promise<RestrictionView[]> {
    return (await this.participants.restricted(eventId)).map(toRestrictionView);
  }

  private async audienceMember(moderator: Session, participantId: string): Promise<Participant> {
    const participant = await this.participants.inEvent(moderator.eventId, participantId);
    if (!AUDIENCE.includes(participant.role)) {
      throw new AppError('forbidden', 'Only audience members can be muted or banned; revoke a speaker invite instead');
    }
    return participant;
  }
}
