import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessModule } from '../access/access.module';
import { EventsModule } from '../events/events.module';
import { ModerationModule } from '../moderation/moderation.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { Hand } from './hand.entity';
import { HandsGateway } from './hands.gateway';
import { HandsService } from './hands.service';

@Module({
  imports: [TypeOrmModule.forFeature([Hand]), AccessModule, EventsModule, ModerationModule, RealtimeModule],
  providers: [HandsService, HandsGateway],
  exports: [HandsService],
})
export class HandsModule {}
