import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Role } from '@pressroom/protocol';

/** Anyone who joined one event: audience, speaker, or a moderator acting in it. Purged with the event. */
@Entity('participant')
export class Participant {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index()
  @Column({ type: 'varchar', length: 36 })
  eventId!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: Role;

  @Column({ type: 'varchar', length: 80, nullable: true })
  name!: string | null;

  @Column({ type: 'varchar', length: 120, nullable: true })
  outlet!: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  moderatorId!: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  inviteId!: string | null;

  @Column({ type: 'boolean' })
  muted!: boolean;

  @Column({ type: Date, nullable: true })
  bannedAt!: Date | null;

  @Column({ type: Date })
  createdAt!: Date;
}
