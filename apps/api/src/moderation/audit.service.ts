import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { AuditEntryView } from '@pressroom/protocol';
import { EntityManager, Repository } from 'typeorm';
import type { EventPurgeStep } from '../common/event-purge';
import type { Session } from '../common/session';
import { newId } from '../common/ids';
import { AuditEntry } from './audit-entry.entity';

/** The moderation audit: who approved, hid, rejected, muted or banned what, and when. */
@Injectable()
export class AuditService implements EventPurgeStep {
  readonly purgedEntities = [AuditEntry];

  constructor(@InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>) {}

  async record(
    actor: Session,
    action: string,
    targetType: AuditEntryView['targetType'],
    targetId: string,
  ): Promise<void> {
    await this.entries.insert({
      id: newId(),
      eventId: actor.eventId,
      actorParticipantId: actor.participantId,
      action,
      targetType,
      targetId,
      at: new Date(),
    });
  }

  async list(eventId: string): Promise<AuditEntryView[]> {
    const entries = await this.entries.find({ where: { eventId }, order: { at: 'ASC' } });
    return entries.map(({ id, actorParticipantId, action, targetType, targetId, at }) => ({
      id,
      actorParticipantId,
      action,
      targetType,
      targetId,
      at: at.toISOString(),
    }));
  }

  /** The purge: the event's audit goes (it names who was muted or banned); it adds no count. */
  async purgeEvent(manager: EntityManager, eventId: string): Promise<Record<string, never>> {
    await manager.delete(AuditEntry, { eventId });
    return {};
  }
}
