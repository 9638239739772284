import type { EventStats } from '@pressroom/protocol';
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * A domain's part of the purge of an ended event. The purge runs every domain's step in one
 * transaction, then marks the event purged; each domain deletes its own rows.
 */
export interface EventPurgeStep {
  /** The entities whose rows `purgeEvent` deletes (the purge then erases those rows from the database files). */
  readonly purgedEntities: readonly EntityTarget<ObjectLiteral>[];
  /** Deletes the event's rows of this domain; returns its share of the counts kept after the purge. */
  purgeEvent(manager: EntityManager, eventId: string): Promise<Partial<EventStats>>;
}
