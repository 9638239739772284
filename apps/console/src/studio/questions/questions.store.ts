import { computed, Injectable, signal } from '@angular/core';
import { byQueueOrder, isPublicQuestion, type QuestionView } from '@pressroom/protocol';
import type { LiveEvent } from '@pressroom/studio-client';

/** What speakers see of a question: approved (in the queue) or answered. */
const isPublic = (question: QuestionView) => isPublicQuestion(question.status);

/** The approved questions, live from the `/live` events: which one is on air, and which come next. */
@Injectable({ providedIn: 'root' })
export class QuestionsStore {
  readonly #questions = signal<readonly QuestionView[]>([]);

  /** The question a moderator put on air, if any. */
  readonly onAir = computed(() => this.#questions().find((question) => question.onAir) ?? null);
  /** The approved queue without the one on air, in order. */
  readonly upNext = computed(() =>
    this.#questions()
      .filter((question) => question.status === 'approved' && !question.onAir)
      .sort(byQueueOrder),
  );
  readonly answeredCount = computed(() => this.#questions().filter((q) => q.status === 'answered').length);

  /** Takes the questions of a `state` snapshot (sent on every connect and reconnect). */
  reset(questions: readonly QuestionView[]): void {
    this.#questions.set(questions.filter(isPublic));
  }

  /** Applies a live event; events about anything but questions are ignored. */
  apply(event: LiveEvent): void {
    switch (event.name) {
      case 'question:approved':
      case 'question:updated':
        return this.#put(event.payload);
      case 'question:removed':
        return this.#questions.update((questions) => questions.filter((q) => q.id !== event.payload.id));
      case 'question:reordered': {
        const positions = new Map(event.payload.questionIds.map((id, index) => [id, index + 1]));
        return this.#questions.update((questions) =>
          questions.map((q) => (positions.has(q.id) ? { ...q, position: positions.get(q.id)! } : q)),
        );
      }
      default:
        return;
    }
  }

  clear(): void {
    this.#questions.set([]);
  }

  #put(question: QuestionView): void {
    this.#questions.update((questions) => {
      const others = questions.filter((q) => q.id !== question.id);
      return isPublic(question) ? [...others, question] : others;
    });
  }
}
