import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A journalist's turn on stage as a guest: who, from when, until when. Purged with the event. */
@Entity('stage_appearance')
export class StageAppearance {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index()
  @Column({ type: 'varchar', length: 36 })
  eventId!: string;

  @Column({ type: 'varchar', length: 36 })
  participantId!: string;

  @Column({ type: 'varchar', length: 36 })
  handId!: string;

  @Column({ type: 'varchar', length: 80 })
  name!: string;

  @Column({ type: 'varchar', length: 120 })
  outlet!: string;

  /** When they accepted. */
  @Column({ type: Date })
  startedAt!: Date;

  /** A moderator muted their microphone (kept here: the mute holds after a restart or a takeover). */
  @Column({ type: 'boolean', default: false })
  muted!: boolean;

  /** When the turn ended; null while on stage. */
  @Column({ type: Date, nullable: true })
  endedAt!: Date | null;
}
