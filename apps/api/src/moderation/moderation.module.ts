import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessModule } from '../access/access.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { AuditEntry } from './audit-entry.entity';
import { AuditService } from './audit.service';
import { ModerationGateway } from './moderation.gateway';
import { RestrictionsService } from './restrictions.service';

/** Muting and banning people, and the audit of every moderation action. */
@Module({
  imports: [TypeOrmModule.forFeature([AuditEntry]), AccessModule, RealtimeModule],
  providers: [AuditService, RestrictionsService, ModerationGateway],
  exports: [AuditService, RestrictionsService],
})
export class ModerationModule {}
