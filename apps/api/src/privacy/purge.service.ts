import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EventStats } from '@pressroom/protocol';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { Participant } from '../access/participant.entity';
import { SpeakerInvite } from '../access/speaker-invite.entity';
import { BroadcastService } from '../broadcast/broadcast.service';
import { ChatMessage } from '../chat/chat-message.entity';
import { Environment } from '../config/environment';
import { purgeDueAt } from '../events/event-views';
import { PressEvent } from '../events/press-event.entity';
import { Hand } from '../hands/hand.entity';
import { AuditEntry } from '../moderation/audit-entry.entity';
import { QuestionVote } from '../questions/question-vote.entity';
import { Question } from '../questions/question.entity';
import { LiveNotifier } from '../realtime/live-notifier';

/** Every table that holds personal data of an event: all of it goes at the purge, with the recording. */
const PERSONAL_DATA = [ChatMessage, QuestionVote, Question, Hand, AuditEntry, SpeakerInvite, Participant];

/** Deletes an ended event's conversation and identities once its retention has passed, keeping counts. */
@Injectable()
export class PurgeService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(PurgeService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    @InjectRepository(PressEvent) private readonly events: Repository<PressEvent>,
    private readonly dataSource: DataSource,
    private readonly notifier: LiveNotifier,
    private readonly broadcasts: BroadcastService,
    private readonly environment: Environment,
  ) {}

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
    const ended = await this.events.findBy({ status: 'ended' });
    for (const event of ended.filter((e) => purgeDueAt(e)!.getTime() <= now.getTime())) {
      try {
        await this.purge(event);
      } catch (error) {
        this.logger.error(`purge of event ${event.id} failed: ${error instanceof Error ? error.message : 'unknown'}`);
      }
    }
  }

  private async purge(event: PressEvent): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const stats = await this.stats(manager, event.id);
      for (const entity of PERSONAL_DATA) await manager.delete(entity, { eventId: event.id });
      await manager.update(PressEvent, { id: event.id }, { status: 'purged', purgedAt: new Date(), stats });
    });
    this.notifier.disconnectEvent(event.id);
    // The recording shows journalists' names in its lower thirds: it goes with the rest.
    await this.broadcasts.deleteRecording(event.id);
    this.logger.log(`purged event ${event.id}`);
  }

  private async stats(manager: EntityManager, eventId: string): Promise<EventStats> {
    const [participants, journalists, chatMessages, questions, questionsApproved, hands] = await Promise.all([
      manager.countBy(Participant, { eventId }),
      manager.countBy(Participant, { eventId, role: 'journalist' }),
      manager.countBy(ChatMessage, { eventId }),
      manager.countBy(Question, { eventId }),
      manager.countBy(Question, { eventId, status: In(['approved', 'answered']) }),
      manager.countBy(Hand, { eventId }),
    ]);
    return { participants, journalists, chatMessages, questions, questionsApproved, hands };
  }
}
