import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { QuestionStatus } from '@pressroom/protocol';

@Entity('question')
@Index(['eventId', 'status'])
export class Question {
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

  @Column({ type: 'text' })
  text!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: QuestionStatus;

  @Column({ type: 'integer', nullable: true })
  position!: number | null;

  @Column({ type: 'integer' })
  votes!: number;

  @Column({ type: 'boolean' })
  onAir!: boolean;

  @Column({ type: Date })
  createdAt!: Date;
}
