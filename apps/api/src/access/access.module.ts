import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventsModule } from '../events/events.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { AccessController } from './access.controller';
import { AccessService } from './access.service';
import { AuthModule } from '../auth/auth.module';
import { InvitesService } from './invites.service';
import { Participant } from './participant.entity';
import { ParticipantsService } from './participants.service';
import { SpeakerInvite } from './speaker-invite.entity';

/** Joining an event: audience, speaker invites, and the participants (and their mute/ban state) it creates. */
@Module({
  imports: [TypeOrmModule.forFeature([Participant, SpeakerInvite]), AuthModule, EventsModule, RealtimeModule],
  controllers: [AccessController],
  providers: [AccessService, InvitesService, ParticipantsService],
  exports: [AccessService, ParticipantsService, InvitesService],
})
export class AccessModule {}
