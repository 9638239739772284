import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { CaptionsModule } from '../captions/captions.module';
import { ChatModule } from '../chat/chat.module';
import { CrewModule } from '../crew/crew.module';
import { EventsModule } from '../events/events.module';
import { HandsModule } from '../hands/hands.module';
import { ModerationModule } from '../moderation/moderation.module';
import { QuestionsModule } from '../questions/questions.module';
import { LiveGateway } from './live.gateway';
import { LiveStateService } from './live-state.service';
import { RealtimeModule } from '../realtime/realtime.module';
import { StageModule } from '../stage/stage.module';

/** The `/live` connection itself: authentication, rooms and the per-role `state` snapshot. */
@Module({
  imports: [
    RealtimeModule,
    AccessModule,
    EventsModule,
    ChatModule,
    QuestionsModule,
    HandsModule,
    ModerationModule,
    StageModule,
    CaptionsModule,
    CrewModule,
  ],
  providers: [LiveGateway, LiveStateService],
})
export class LiveModule {}
