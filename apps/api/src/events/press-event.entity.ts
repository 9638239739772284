import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ChatMode, EventStats, EventStatus, UiLanguage } from '@pressroom/protocol';

@Entity('press_event')
export class PressEvent {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 64, unique: true })
  slug!: string;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: Date })
  startsAt!: Date;

  @Column({ type: 'varchar', length: 200, nullable: true })
  passwordHash!: string | null;

  @Column({ type: 'varchar', length: 8 })
  chatMode!: ChatMode;

  @Column({ type: 'boolean' })
  questionsEnabled!: boolean;

  @Column({ type: 'integer' })
  retentionHours!: number;

  @Column({ type: 'integer' })
  slowModeSeconds!: number;

  /** No new audience member may join (moderators and invited speakers still may). */
  @Column({ type: 'boolean', default: false })
  joinLocked!: boolean;

  /** The pages' and the slate's language; null: each visitor's browser language. */
  @Column({ type: 'varchar', length: 8, nullable: true })
  language!: UiLanguage | null;

  @Column({ type: 'varchar', length: 16 })
  status!: EventStatus;

  @Column({ type: 'varchar', length: 36 })
  createdBy!: string;

  @Column({ type: Date })
  createdAt!: Date;

  @Column({ type: Date, nullable: true })
  startedAt!: Date | null;

  @Column({ type: Date, nullable: true })
  endedAt!: Date | null;

  @Column({ type: Date, nullable: true })
  purgedAt!: Date | null;

  @Column({ type: 'simple-json', nullable: true })
  stats!: EventStats | null;
}
