import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventsModule } from '../events/events.module';
import { HandsModule } from '../hands/hands.module';
import { ModerationModule } from '../moderation/moderation.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { StageAppearance } from './stage-appearance.entity';
import { StageGateway } from './stage.gateway';
import { StageService } from './stage.service';

/** The journalist on stage: a raised hand invited into the studio as a guest, for one turn. */
@Module({
  imports: [TypeOrmModule.forFeature([StageAppearance]), EventsModule, HandsModule, ModerationModule, RealtimeModule],
  providers: [StageService, StageGateway],
  exports: [StageService],
})
export class StageModule {}
