import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { CaptionsModule } from '../captions/captions.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { StudioModule } from '../studio/studio.module';
import { CrewGateway } from './crew.gateway';
import { CrewService } from './crew.service';

/** The crew's presence (captioners, interpreters, signers) for the moderators' control room. */
@Module({
  imports: [AccessModule, CaptionsModule, RealtimeModule, StudioModule],
  providers: [CrewService, CrewGateway],
  exports: [CrewService],
})
export class CrewModule {}
