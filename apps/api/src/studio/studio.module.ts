import { Module } from '@nestjs/common';
import { BroadcastModule } from '../broadcast/broadcast.module';
import { EventsModule } from '../events/events.module';
import { MediaModule } from '../media/media.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { StageModule } from '../stage/stage.module';
import { StudioGuestGuard } from './studio-guest.guard';
import { StudioGateway } from './studio.gateway';
import { StudioService } from './studio.service';

/** The WebRTC studio where speakers (and the guest on stage) meet: one mediasoup room per event, signalled over `/live`. */
@Module({
  imports: [MediaModule, EventsModule, RealtimeModule, BroadcastModule, StageModule],
  providers: [StudioService, StudioGateway, StudioGuestGuard],
  exports: [StudioService],
})
export class StudioModule {}
