import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity('speaker_invite')
export class SpeakerInvite {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index()
  @Column({ type: 'varchar', length: 36 })
  eventId!: string;

  @Column({ type: 'varchar', length: 80 })
  name!: string;

  @Column({ type: Date })
  createdAt!: Date;

  @Column({ type: Date, nullable: true })
  revokedAt!: Date | null;
}
