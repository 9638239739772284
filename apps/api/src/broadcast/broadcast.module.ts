import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { EventsModule } from '../events/events.module';
import { QuestionsModule } from '../questions/questions.module';
import { BroadcastService } from './broadcast.service';
import { HlsAccess } from './hls-access';
import { HlsController } from './hls.controller';

/** FFmpeg → HLS for every event: slates, the speakers' composite, the lower third; its playlist is the recording. */
@Module({
  imports: [AccessModule, EventsModule, QuestionsModule],
  controllers: [HlsController],
  providers: [BroadcastService, HlsAccess],
  exports: [BroadcastService],
})
export class BroadcastModule {}
