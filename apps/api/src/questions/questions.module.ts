import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessModule } from '../access/access.module';
import { EventsModule } from '../events/events.module';
import { ModerationModule } from '../moderation/moderation.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { QuestionVote } from './question-vote.entity';
import { Question } from './question.entity';
import { QuestionsGateway } from './questions.gateway';
import { QuestionsService } from './questions.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Question, QuestionVote]),
    AccessModule,
    EventsModule,
    ModerationModule,
    RealtimeModule,
  ],
  providers: [QuestionsService, QuestionsGateway],
  exports: [QuestionsService],
})
export class QuestionsModule {}
