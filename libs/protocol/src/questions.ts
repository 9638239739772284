/** The rules every side applies to questions: who sees one, and the order of the queue. */
import type { QuestionStatus } from './dtos';

/** Who sees a question in this status: everyone once approved (and after it is answered); moderators and its asker before. */
export function isPublicQuestion(status: QuestionStatus): boolean {
  return status === 'approved' || status === 'answered';
}

/** What the queue order looks at: a `QuestionView`, or the server's own record of it (`createdAt` a `Date`). */
export interface QueuedQuestion {
  status: QuestionStatus;
  position: number | null;
  createdAt: string | Date;
}

const STATUS_ORDER: Record<QuestionStatus, number> = { approved: 0, answered: 1, pending: 2, rejected: 3 };
/** A question without a position (not placed yet) goes to the end of the queue. */
const UNPLACED = Number.MAX_SAFE_INTEGER;

/**
 * The queue order, for `Array.prototype.sort`: approved questions by position, then answered ones by
 * the place they had, then pending ones. A question without a position comes after those with one;
 * questions with the same position (or none) come oldest first.
 */
export function byQueueOrder(a: QueuedQuestion, b: QueuedQuestion): number {
  return (
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
    (a.position ?? UNPLACED) - (b.position ?? UNPLACED) ||
    timeOf(a.createdAt) - timeOf(b.createdAt)
  );
}

const timeOf = (createdAt: string | Date) =>
  typeof createdAt === 'string' ? Date.parse(createdAt) : createdAt.getTime();
