import type { QuestionStatus, QuestionView } from './dtos';
import { byQueueOrder, isPublicQuestion } from './questions';

const question = (id: string, status: QuestionStatus, position: number | null, createdAt: string): QuestionView => ({
  id,
  participantId: `p-${id}`,
  name: 'Ada',
  outlet: 'Gazette',
  text: `Question ${id}`,
  status,
  position,
  votes: 0,
  onAir: false,
  createdAt,
});

const order = (questions: QuestionView[]) => [...questions].sort(byQueueOrder).map((q) => q.id);

describe('byQueueOrder: the one order of the question queue', () => {
  it('puts approved questions by position, then answered ones, then pending ones oldest first', () => {
    expect(
      order([
        question('pending-new', 'pending', null, '2026-05-01T10:05:00.000Z'),
        question('answered', 'answered', 1, '2026-05-01T10:00:00.000Z'),
        question('second', 'approved', 3, '2026-05-01T10:01:00.000Z'),
        question('pending-old', 'pending', null, '2026-05-01T10:02:00.000Z'),
        question('first', 'approved', 2, '2026-05-01T10:04:00.000Z'),
      ]),
    ).toEqual(['first', 'second', 'answered', 'pending-old', 'pending-new']);
  });

  it('puts a question without a position at the end of its queue, not the front', () => {
    expect(
      order([
        question('unplaced', 'approved', null, '2026-05-01T10:00:00.000Z'),
        question('placed', 'approved', 7, '2026-05-01T10:03:00.000Z'),
      ]),
    ).toEqual(['placed', 'unplaced']);
  });

  it('breaks ties of position by age, oldest first', () => {
    expect(
      order([
        question('newer', 'approved', 1, '2026-05-01T10:00:00.500Z'),
        question('older', 'approved', 1, '2026-05-01T10:00:00.100Z'),
        question('unplaced-newer', 'approved', null, '2026-05-01T10:09:00.000Z'),
        question('unplaced-older', 'approved', null, '2026-05-01T10:08:00.000Z'),
      ]),
    ).toEqual(['older', 'newer', 'unplaced-older', 'unplaced-newer']);
  });

  it('orders the server’s records (dates) the same as the views clients get (strings)', () => {
    const views = [
      question('b', 'approved', 2, '2026-05-01T10:00:00.000Z'),
      question('a', 'approved', 2, '2026-05-01T09:59:59.999Z'),
      question('c', 'approved', null, '2026-05-01T09:00:00.000Z'),
    ];
    const records = views.map((view) => ({ ...view, createdAt: new Date(view.createdAt) }));
    expect([...records].sort(byQueueOrder).map((q) => q.id)).toEqual(order(views));
  });
});

describe('isPublicQuestion: who sees a question', () => {
  it('everyone sees approved and answered questions; pending and rejected ones stay with moderators', () => {
    expect((['approved', 'answered', 'pending', 'rejected'] as const).filter(isPublicQuestion)).toEqual([
      'approved',
      'answered',
    ]);
  });
});
