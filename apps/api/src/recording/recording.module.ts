import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { BroadcastModule } from '../broadcast/broadcast.module';
import { CaptionsModule } from '../captions/captions.module';
import { EventsModule } from '../events/events.module';
import { ModeratorsOnlyGuard } from './moderators-only.guard';
import { RecordingController } from './recording.controller';
import { RecordingService } from './recording.service';

/** An ended event's broadcast as one MP4 (and its captions as WebVTT files) for moderators, made once its playlist is closed, until the purge. */
@Module({
  imports: [AuthModule, BroadcastModule, CaptionsModule, EventsModule],
  controllers: [RecordingController],
  providers: [RecordingService, ModeratorsOnlyGuard],
})
export class RecordingModule {}
