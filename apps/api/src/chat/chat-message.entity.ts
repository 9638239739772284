import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ChatMessageStatus, Role } from '@pressroom/protocol';

@Entity('chat_message')
@Index(['eventId', 'createdAt'])
export class ChatMessage {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 36 })
  eventId!: string;

  @Column({ type: 'varchar', length: 36 })
  participantId!: string;

  @Column({ type: 'varchar', length: 80 })
  authorName!: string;

  @Column({ type: 'varchar', length: 120, nullable: true })
  authorOutlet!: string | null;

  @Column({ type: 'varchar', length: 16 })
  authorRole!: Role;

  @Column({ type: 'text' })
  text!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: ChatMessageStatus;

  @Column({ type: Date })
  createdAt!: Date;
}
