import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { MediaModule } from '../media/media.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { StudioGateway } from './studio.gateway';
import { StudioService } from './studio.service';

/** The WebRTC studio where speakers meet: one mediasoup room per event, signalled over `/live`. */
@Module({
  imports: [MediaModule, EventsModule, RealtimeModule],
  providers: [StudioService, StudioGateway],
  exports: [StudioService],
})
export class StudioModule {}
