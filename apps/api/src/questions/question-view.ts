import type { QuestionView } from '@pressroom/protocol';
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

/** The queue order and who sees a question: the rules every client applies too, from the protocol. */
export { byQueueOrder, isPublicQuestion as isPublic } from '@pressroom/protocol';
