import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { AuthModule } from '../auth/auth.module';
import { EventsModule } from '../events/events.module';
import { QuestionsModule } from '../questions/questions.module';
import { BroadcastService } from './broadcast.service';
import { HlsAccess } from './hls-access';
import { HlsController } from './hls.controller';
import { ModeratorsOnlyGuard } from './moderators-only.guard';
import { RecordingController } from './recording.controller';
import { RecordingService } from './recording.service';

/** FFmpeg → HLS for every event: slates, the speakers' composite, the lower third, the recording. */
@Module({
  imports: [AccessModule, AuthModule, EventsModule, QuestionsModule],
  controllers: [HlsController, RecordingController],
  providers: [BroadcastService, HlsAccess, RecordingService, ModeratorsOnlyGuard],
  exports: [BroadcastService],
})
export class BroadcastModule {}
