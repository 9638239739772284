import { Module } from '@nestjs/common';
import { BroadcastModule } from '../broadcast/broadcast.module';
import { EventsModule } from '../events/events.module';
import { MediaModule } from '../media/media.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { StudioGateway } from './studio.gateway';
import { StudioService } from './studio.service';

/** The WebRTC studio where speakers meet: one mediasoup room per event, signalled over `/live`. */
@Module({
  imports: [MediaModule, EventsModule, RealtimeModule, BroadcastModule],
  providers: [StudioService, StudioGateway],
  exports: [StudioService],
})
export class StudioModule {}
