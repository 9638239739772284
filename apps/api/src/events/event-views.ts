import type { EventDetails, PublicEvent } from '@pressroom/protocol';
import type { PressEvent } from './press-event.entity';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toPublicEvent(event: PressEvent): PublicEvent {
  return {
    slug: event.slug,
    title: event.title,
    description: event.description,
    startsAt: event.startsAt.toISOString(),
    status: event.status,
    chatMode: event.chatMode,
    questionsEnabled: event.questionsEnabled,
    passwordRequired: event.passwordHash !== null,
    slowModeSeconds: event.slowModeSeconds,
    joinLocked: event.joinLocked,
    startedAt: iso(event.startedAt),
    endedAt: iso(event.endedAt),
    language: event.language,
  };
}

export function purgeDueAt(event: PressEvent): Date | null {
  return event.endedAt ? new Date(event.endedAt.getTime() + event.retentionHours * 3_600_000) : null;
}

export function toEventDetails(event: PressEvent): EventDetails {
  return {
    ...toPublicEvent(event),
    id: event.id,
    retentionHours: event.retentionHours,
    createdAt: event.createdAt.toISOString(),
    purgeAt: event.status === 'purged' ? null : iso(purgeDueAt(event)),
    purgedAt: iso(event.purgedAt),
    stats: event.stats,
  };
}
