import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { EventStats } from '@pressroom/protocol';
import { DataSource, EntityManager } from 'typeorm';
import { InvitesService } from '../access/invites.service';
import { ParticipantsService } from '../access/participants.service';
import { CaptionsService } from '../captions/captions.service';
import { ChatService } from '../chat/chat.service';
import type { EventPurgeStep } from '../common/event-purge';
import { Environment } from '../config/environment';
import { eraseDeletedRows } from '../common/erase-deleted';
import { EventsService } from '../events/events.service';
import { HandsService } from '../hands/hands.service';
import { AuditService } from '../moderation/audit.service';
import { QuestionsService } from '../questions/questions.service';
import { LiveNotifier } from '../realtime/live-notifier';
import { RestreamService } from '../restream/restream.service';
import { StageService } from '../stage/stage.service';

/**
 * Purges an ended event once its retention has passed: every domain deletes its personal data (see
 * `EventPurgeStep`) in one transaction that marks the event purged with the counts they keep; the
 * `purged` status is then announced like every status change (the studio closes its room, the
 * broadcast deletes the recording), the event's clients are disconnected, and the deleted rows are
 * erased from the database files.
 */
@Injectable()
export class PurgeService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(PurgeService.name);
  private readonly steps: readonly EventPurgeStep[];
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  /**
   * Deleted rows whose bytes may still be on disk: after a purge, after an erase that failed, and at the
   * first pass after a start (the API may have stopped between a purge and its erase: on PostgreSQL,
   * whose erase locks the tables, only when an event was purged in the last day).
   */
  private eraseDue: boolean | 'after start' = 'after start';

  constructor(
    private readonly events: EventsService,
    private readonly dataSource: DataSource,
    private readonly notifier: LiveNotifier,
    private readonly environment: Environment,
    chat: ChatService,
    questions: QuestionsService,
    hands: HandsService,
    audit: AuditService,
    invites: InvitesService,
    participants: ParticipantsService,
    stage: StageService,
    restream: RestreamService,
    captions: CaptionsService,
  ) {
    this.steps = [chat, questions, hands, stage, restream, captions, audit, invites, participants];
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.purgeDue(), this.environment.PURGE_INTERVAL_SECONDS * 1000);
  }

  onModuleDestroy(): Promise<void> | undefined {
    clearInterval(this.timer);
    return this.running;
  }

  /** Purges every event past its retention; runs one pass at a time. */
  purgeDue(now = new Date()): Promise<void> {
    this.running ??= this.purgePass(now).finally(() => (this.running = undefined));
    return this.running;
  }

  private async purgePass(now: Date): Promise<void> {
    for (const event of await this.events.duePurge(now)) {
      try {
        await this.purge(event.id);
      } catch (error) {
        this.logger.error(`purge of event ${event.id} failed: ${messageOf(error)}`);
      }
    }
    if (this.eraseDue === 'after start') this.eraseDue = await this.mayHaveMissedAnErase(now);
    if (!this.eraseDue) return;
    try {
      await eraseDeletedRows(
        this.dataSource,
        this.steps.flatMap((step) => step.purgedEntities),
      );
      this.eraseDue = false;
    } catch (error) {
      this.logger.error(`erasing purged rows from the database files failed (tried again): ${messageOf(error)}`);
    }
  }

  private async purge(eventId: string): Promise<void> {
    const purged = await this.events.purge(eventId, (manager) => this.runSteps(manager, eventId));
    if (!purged) return;
    this.eraseDue = true;
    // Their access tokens stopped working with the purge.
    this.notifier.disconnectEvent(eventId);
    this.logger.log(`purged event ${eventId}`);
  }

  private async mayHaveMissedAnErase(now: Date): Promise<boolean> {
    if (this.dataSource.options.type !== 'postgres') return true; // SQLite's checkpoint costs nothing
    return this.events.purgedSince(new Date(now.getTime() - RECENT_PURGE_MS));
  }

  private async runSteps(manager: EntityManager, eventId: string): Promise<EventStats> {
    const stats: Partial<EventStats> = {};
    for (const step of this.steps) Object.assign(stats, await step.purgeEvent(manager, eventId));
    return stats as EventStats;
  }
}

/** A purge this recent may have stopped before its erase when the API starts. */
const RECENT_PURGE_MS = 24 * 3600_000;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : 'unknown');
