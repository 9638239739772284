import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One upvote; the primary key makes a second vote by the same person impossible. */
@Entity('question_vote')
export class QuestionVote {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  questionId!: string;

  @PrimaryColumn({ type: 'varchar', length: 36 })
  participantId!: string;

  @Index()
  @Column({ type: 'varchar', length: 36 })
  eventId!: string;
}
