import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { AuditEntryView } from '@pressroom/protocol';

/** Who did what to which item, and when. Purged with the event. */
@Entity('audit_entry')
export class AuditEntry {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index()
  @Column({ type: 'varchar', length: 36 })
  eventId!: string;

  @Column({ type: 'varchar', length: 36 })
  actorParticipantId!: string;

  @Column({ type: 'varchar', length: 32 })
  action!: string;

  @Column({ type: 'varchar', length: 16 })
  targetType!: AuditEntryView['targetType'];

  @Column({ type: 'varchar', length: 36 })
  targetId!: string;

  @Column({ type: Date })
  at!: Date;
}
