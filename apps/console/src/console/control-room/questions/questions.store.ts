import { moveItemInArray } from '@angular/cdk/drag-drop';
import { computed, inject, Injectable } from '@angular/core';
import { byQueueOrder, type ActionRequest, type ClientActionName, type QuestionView } from '@pressroom/protocol';
import { OptimisticState, type Change } from '../../../shared/optimistic';
import { ControlRoomLive } from '../control-room-live';
import { Moderation } from '../moderation';

type Questions = readonly QuestionView[];

/**
 * The event's questions as the moderator sees them: pending ones (oldest first), the approved queue
 * (in its order), answered ones, and the one on air. Kept live from `/live`; every action shows at once.
 */
@Injectable()
export class QuestionsStore {
  readonly #live = inject(ControlRoomLive);
  readonly #moderation = inject(Moderation);
  readonly #questions = new OptimisticState<Questions>([]);

  readonly pending = computed(() => this.#inQueueOrder('pending'));
  readonly queue = computed(() => this.#inQueueOrder('approved'));
  readonly answered = computed(() => this.#inQueueOrder('answered'));
  readonly onAir = computed(() => this.#questions.value().find((question) => question.onAir) ?? null);

  constructor() {
    this.#live.on('state', ({ questions }) => this.#questions.reset(questions));
    this.#live.on('question:pending', (question) => this.#questions.confirm(upsert(question)));
    this.#live.on('question:approved', (question) => this.#questions.confirm(upsert(question)));
    this.#live.on('question:updated', (question) => this.#questions.confirm(upsert(question)));
    this.#live.on('question:removed', ({ id }) => this.#questions.confirm(remove(id)));
    this.#live.on('question:reordered', ({ questionIds }) => this.#questions.confirm(ordered(questionIds)));
  }

  approve(questionId: string): Promise<boolean> {
    return this.#run(
      approve(questionId),
      'question:approve',
      { questionId },
      $localize`:@@questions.approveFailed:Could not approve the question`,
    );
  }

  reject(questionId: string): Promise<boolean> {
    return this.#run(
      remove(questionId),
      'question:reject',
      { questionId },
      $localize`:@@questions.rejectFailed:Could not reject the question`,
    );
  }

  edit(questionId: string, text: string): Promise<boolean> {
    const trimmed = text.trim();
    return this.#run(
      update(questionId, () => true, { text: trimmed }),
      'question:edit',
      { questionId, text: trimmed },
      $localize`:@@questions.editFailed:Could not change the question`,
    );
  }

  markAnswered(questionId: string): Promise<boolean> {
    return this.#run(
      update(questionId, (q) => q.status === 'approved', { status: 'answered', onAir: false }),
      'question:answered',
      { questionId },
      $localize`:@@questions.answeredFailed:Could not mark the question answered`,
    );
  }

  /** Puts a question on air (taking any other off), or clears the air with null. */
  putOnAir(questionId: string | null): Promise<boolean> {
    return this.#run(
      onAir(questionId),
      'question:onAir',
      { questionId },
      questionId
        ? $localize`:@@questions.onAirFailed:Could not put the question on air`
        : $localize`:@@questions.offAirFailed:Could not take the question off air`,
    );
  }

  /** Moves a question of the approved queue from one place to another (indices in `queue()`). */
  move(fromIndex: number, toIndex: number): Promise<boolean> {
    const questionIds = this.queue().map((question) => question.id);
    if (fromIndex === toIndex || !questionIds[fromIndex] || !questionIds[toIndex]) return Promise.resolve(true);
    moveItemInArray(questionIds, fromIndex, toIndex);
    return this.#run(
      ordered(questionIds),
      'question:order',
      { questionIds },
      $localize`:@@questions.orderFailed:Could not reorder the queue`,
    );
  }

  #run<A extends ClientActionName>(
    change: Change<Questions>,
    action: A,
    request: ActionRequest<A>,
    failure: string,
  ): Promise<boolean> {
    return this.#moderation.run(this.#questions, change, action, request, failure);
  }

  #inQueueOrder(status: QuestionView['status']): QuestionView[] {
    return this.#questions
      .value()
      .filter((question) => question.status === status)
      .sort(byQueueOrder);
  }
}

/** Adds or replaces a question; one the server says is rejected goes. */
function upsert(question: QuestionView): Change<Questions> {
  if (question.status === 'rejected') return remove(question.id);
  return (questions) =>
    questions.some((q) => q.id === question.id)
      ? questions.map((q) => (q.id === question.id ? question : q))
      : [...questions, question];
}

function remove(questionId: string): Change<Questions> {
  return (questions) => questions.filter((q) => q.id !== questionId);
}

function update(
  questionId: string,
  when: (question: QuestionView) => boolean,
  fields: Partial<QuestionView>,
): Change<Questions> {
  return (questions) => questions.map((q) => (q.id === questionId && when(q) ? { ...q, ...fields } : q));
}

/** A pending question joins the end of the queue (the server's event brings its real place). */
function approve(questionId: string): Change<Questions> {
  return (questions) => {
    const last = Math.max(0, ...questions.filter((q) => q.status === 'approved').map((q) => q.position ?? 0));
    return update(questionId, (q) => q.status === 'pending', { status: 'approved', position: last + 1 })(questions);
  };
}

function onAir(questionId: string | null): Change<Questions> {
  return (questions) =>
    questions.map((q) => {
      const next = q.id === questionId && q.status === 'approved';
      return q.onAir === next ? q : { ...q, onAir: next };
    });
}

/** The approved queue in the order given; questions not named keep their places. */
function ordered(questionIds: readonly string[]): Change<Questions> {
  return (questions) =>
    questions.map((q) => {
      const index = questionIds.indexOf(q.id);
      return index < 0 || q.status !== 'approved' ? q : { ...q, position: index + 1 };
    });
}
