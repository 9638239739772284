import { Injectable } from '@nestjs/common';
import type { RestrictionView } from '@pressroom/protocol';
import type { Participant } from '../access/participant.entity';
import { ParticipantsService } from '../access/participants.service';
import type { Session } from '../access/session';
import { LiveNotifier } from '../realtime/live-notifier';
import { AuditService } from './audit.service';

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

/**
 * Muting and banning audience members. Every moderator of the event hears of each change, whichever
 * moderator made it and on whichever API node, so a moderation team sees the same list.
 */
@Injectable()
export class RestrictionsService {
  constructor(
    private readonly participants: ParticipantsService,
    private readonly audit: AuditService,
    private readonly notifier: LiveNotifier,
  ) {}

  async setMuted(moderator: Session, participantId: string, muted: boolean): Promise<void> {
    const participant = await this.participants.setMuted(moderator.eventId, participantId, muted);
    await this.audit.record(moderator, muted ? 'user:mute' : 'user:unmute', 'participant', participant.id);
    this.notifier.toModerators(moderator.eventId, 'user:restriction', toRestrictionView(participant));
  }

  async ban(moderator: Session, participantId: string): Promise<void> {
    const participant = await this.participants.ban(moderator.eventId, participantId);
    await this.audit.record(moderator, 'user:ban', 'participant', participant.id);
    this.notifier.toModerators(moderator.eventId, 'user:restriction', toRestrictionView(participant));
  }

  /** Who is muted or banned in the event now, for the moderators' snapshot. */
  async list(eventId: string): Promise<RestrictionView[]> {
    return (await this.participants.restricted(eventId)).map(toRestrictionView);
  }
}
