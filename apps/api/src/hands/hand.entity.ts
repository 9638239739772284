import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { HandStatus } from '@pressroom/protocol';

@Entity('hand')
@Index(['eventId', 'status'])
export class Hand {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 36 })
  eventId!: string;

  @Column({ type: 'varchar', length: 36 })
  participantId!: string;

  @Column({ type: 'varchar', length: 80 })
  name!: string;

  @Column({ type: 'varchar', length: 120 })
  outlet!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  topic!: string | null;

  @Column({ type: 'varchar', length: 16 })
  status!: HandStatus;

  @Column({ type: Date })
  raisedAt!: Date;
}
