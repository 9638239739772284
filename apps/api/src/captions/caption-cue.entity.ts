import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A captioner's final line, kept until the purge (the broadcast's subtitles, the transcript). */
@Entity('caption_cue')
@Index('IDX_caption_cue_eventId_sentAt', ['eventId', 'sentAt'])
export class CaptionCue {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 36 })
  eventId!: string;

  @Column({ type: 'varchar', length: 36 })
  participantId!: string;

  @Column({ type: 'varchar', length: 35 })
  language!: string;

  @Column({ type: 'text' })
  text!: string;

  @Column({ type: Date })
  sentAt!: Date;
}
