import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventsModule } from '../events/events.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { CaptionCue } from './caption-cue.entity';
import { CaptionsGateway } from './captions.gateway';
import { CaptionsService } from './captions.service';

/** Live captions: captioners' lines (`caption:send`), stored as cues until the purge. */
@Module({
  imports: [TypeOrmModule.forFeature([CaptionCue]), EventsModule, RealtimeModule],
  providers: [CaptionsService, CaptionsGateway],
  exports: [CaptionsService],
})
export class CaptionsModule {}
