import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { InviteRole } from '@pressroom/protocol';

@Entity('speaker_invite')
export class SpeakerInvite {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index()
  @Column({ type: 'varchar', length: 36 })
  eventId!: string;

  @Column({ type: 'varchar', length: 80 })
  name!: string;

  /** What the invite is for: a speaker, or a crew member (`crew.ts`). */
  @Column({ type: 'varchar', length: 16, default: 'speaker' })
  role!: InviteRole;

  /** A captioner's or interpreter's language (BCP 47); null for speakers and signers. */
  @Column({ type: 'varchar', length: 35, nullable: true })
  language!: string | null;

  @Column({ type: Date })
  createdAt!: Date;

  @Column({ type: Date, nullable: true })
  revokedAt!: Date | null;
}
