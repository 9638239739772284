import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { AuthModule } from '../auth/auth.module';
import { CaptionsModule } from '../captions/captions.module';
import { ChatModule } from '../chat/chat.module';
import { EventsModule } from '../events/events.module';
import { HandsModule } from '../hands/hands.module';
import { ModerationModule } from '../moderation/moderation.module';
import { QuestionsModule } from '../questions/questions.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { RestreamModule } from '../restream/restream.module';
import { StageModule } from '../stage/stage.module';
import { PrivacyController } from './privacy.controller';
import { PurgeService } from './purge.service';
import { TranscriptService } from './transcript.service';

/** The purge after an event's retention, and the transcript moderators may export before it. */
@Module({
  imports: [
    AccessModule,
    AuthModule,
    EventsModule,
    ChatModule,
    QuestionsModule,
    HandsModule,
    ModerationModule,
    RealtimeModule,
    RestreamModule,
    StageModule,
    CaptionsModule,
  ],
  controllers: [PrivacyController],
  providers: [PurgeService, TranscriptService],
  exports: [PurgeService],
})
export class PrivacyModule {}
