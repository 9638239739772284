import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessModule } from '../access/access.module';
import { AuditEntry } from './audit-entry.entity';
import { AuditService } from './audit.service';
import { ModerationGateway } from './moderation.gateway';

/** Muting and banning people, and the audit of every moderation action. */
@Module({
  imports: [TypeOrmModule.forFeature([AuditEntry]), AccessModule],
  providers: [AuditService, ModerationGateway],
  exports: [AuditService],
})
export class ModerationModule {}
