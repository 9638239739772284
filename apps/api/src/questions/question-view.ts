import type { QuestionStatus, QuestionView } from '@pressroom/protocol';
import type { Question } from './question.entity';

export function toQuestionView(question: Question): QuestionView {
  return {
    id: question.id,
    participantId: question.participantId,
    name: question.name,
    outlet: question.outlet,
    text: question.text,
    status: question.status,
    position: question.position,
    votes: question.votes,
    onAir: question.onAir,
    createdAt: question.createdAt.toISOString(),
  };
}

const STATUS_ORDER: Record<QuestionStatus, number> = { approved: 0, answered: 1, pending: 2, rejected: 3 };

/** The queue order: approved by position, then answered, then pending oldest first. */
export function byQueueOrder(a: Question, b: Question): number {
  return (
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
    (a.position ?? 0) - (b.position ?? 0) ||
    a.createdAt.getTime() - b.createdAt.getTime()
  );
}

/** Who sees a question in this status: everyone once approved, moderators before. */
export const isPublic = (status: QuestionStatus) => status === 'approved' || status === 'answered';
