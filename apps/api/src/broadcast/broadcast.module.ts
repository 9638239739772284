import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { CaptionsModule } from '../captions/captions.module';
import { EventsModule } from '../events/events.module';
import { QuestionsModule } from '../questions/questions.module';
import { BroadcastService } from './broadcast.service';
import { HlsAccess } from './hls-access';
import { HlsOrigin } from './hls-origin';

/** FFmpeg → HLS for every event: slates, the speakers' composite, the lower third; its playlist is the recording. */
@Module({
  imports: [AccessModule, CaptionsModule, EventsModule, QuestionsModule],
  // `/hls/` is answered by HlsOrigin, ahead of Express (app.factory.ts attaches it).
  providers: [BroadcastService, HlsAccess, HlsOrigin],
  exports: [BroadcastService, HlsOrigin],
})
export class BroadcastModule {}
