import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { BroadcastModule } from '../broadcast/broadcast.module';
import { EventsModule } from '../events/events.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { RestreamDestination } from './restream-destination.entity';
import { RestreamController } from './restream.controller';
import { RestreamService } from './restream.service';

/** The program pushed to platforms (RTMP/RTMPS ingests) while an event is live. */
@Module({
  imports: [TypeOrmModule.forFeature([RestreamDestination]), AuthModule, BroadcastModule, EventsModule, RealtimeModule],
  controllers: [RestreamController],
  providers: [RestreamService],
  exports: [RestreamService],
})
export class RestreamModule {}
