import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { QuestionsModule } from '../questions/questions.module';
import { BroadcastService } from './broadcast.service';
import { HlsController } from './hls.controller';

/** FFmpeg → HLS for every event: slates, the speakers' composite, the lower third, the recording. */
@Module({
  imports: [EventsModule, QuestionsModule],
  controllers: [HlsController],
  providers: [BroadcastService],
  exports: [BroadcastService],
})
export class BroadcastModule {}
