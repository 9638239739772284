import { Injectable } from '@nestjs/common';
import type { Transcript } from '@pressroom/protocol';
import { CaptionsService } from '../captions/captions.service';
import { ChatService } from '../chat/chat.service';
import { AppError } from '../common/app-error';
import { toEventDetails } from '../events/event-views';
import { EventsService } from '../events/events.service';
import { HandsService } from '../hands/hands.service';
import { AuditService } from '../moderation/audit.service';
import { QuestionsService } from '../questions/questions.service';
import { StageService } from '../stage/stage.service';

/** Everything said in an event, for moderators to keep before the purge. */
@Injectable()
export class TranscriptService {
  constructor(
    private readonly events: EventsService,
    private readonly chat: ChatService,
    private readonly questions: QuestionsService,
    private readonly hands: HandsService,
    private readonly audit: AuditService,
    private readonly stage: StageService,
    private readonly captions: CaptionsService,
  ) {}

  async build(slug: string): Promise<Transcript> {
    const event = await this.events.findBySlug(slug);
    if (event.status === 'purged') throw new AppError('event_purged', 'This event was purged; its transcript is gone');
    const [chat, questions, hands, moderation, stage, captions] = await Promise.all([
      this.chat.transcript(event.id),
      this.questions.transcript(event.id),
      this.hands.transcript(event.id),
      this.audit.list(event.id),
      this.stage.transcript(event.id),
      this.captions.transcript(event.id),
    ]);
    const exportedAt = new Date().toISOString();
    return { event: toEventDetails(event), exportedAt, chat, questions, hands, moderation, stage, captions };
  }
}
