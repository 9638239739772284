import { CdkDrag, CdkDragHandle, CdkDragPlaceholder, CdkDropList, type CdkDragDrop } from '@angular/cdk/drag-drop';
import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  inject,
  Injector,
  input,
  output,
  signal,
} from '@angular/core';
import type { QuestionView } from '@pressroom/protocol';
import { Icon } from '../../../shared/icon';
import { participantName } from '../../../shared/i18n/participant-name';
import { QuestionCard } from './question-card';

/** A move in the queue, as indices of `questions`. */
export interface QueueMove {
  from: number;
  to: number;
}

/**
 * The approved questions in the order they will be taken: reordered by dragging (the grip) or with
 * the Move up / Move down buttons (keyboard), put on air, marked answered, edited or removed.
 */
@Component({
  selector: 'pr-approved-queue',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [CdkDropList, CdkDrag, CdkDragHandle, CdkDragPlaceholder, Icon, QuestionCard],
  template: `
    @if (questions().length === 0) {
      <p class="pr-empty" i18n="@@queue.empty">No approved questions. Approve pending ones to queue them here.</p>
    }
    <ol
      class="queue"
      cdkDropList
      cdkDropListLockAxis="y"
      (cdkDropListDropped)="dropped($event)"
      aria-label="Approved questions in order"
      i18n-aria-label="@@queue.label"
    >
      @for (question of questions(); track question.id; let index = $index, first = $first, last = $last) {
        <li
          class="item"
          cdkDrag
          [class.on-air]="question.onAir"
          [attr.data-question-id]="question.id"
          [attr.aria-label]="itemLabel(index + 1, question.name)"
        >
          <div class="place">
            <span
              class="handle"
              cdkDragHandle
              data-testid="drag-handle"
              title="Drag to reorder"
              i18n-title="@@queue.drag"
            >
              <pr-icon name="grip" />
            </span>
            <span class="number" aria-hidden="true">{{ index + 1 }}</span>
          </div>
          <pr-question-card [question]="question" (edited)="edited.emit({ questionId: question.id, text: $event })">
            @if (question.onAir) {
              <span class="pr-badge pr-badge-live" i18n="@@queue.onAir">On air</span>
              <button type="button" class="pr-btn pr-btn-sm" (click)="onAirChanged.emit(null)">
                <pr-icon name="stop" /><ng-container i18n="@@queue.takeOffAir">Take off air</ng-container>
              </button>
            } @else {
              <button type="button" class="pr-btn pr-btn-sm pr-btn-primary" (click)="onAirChanged.emit(question.id)">
                <pr-icon name="broadcast" /><ng-container i18n="@@queue.putOnAir">Put on air</ng-container>
              </button>
            }
            <button type="button" class="pr-btn pr-btn-sm" (click)="answered.emit(question.id)">
              <pr-icon name="check" /><ng-container i18n="@@queue.markAnswered">Mark answered</ng-container>
            </button>
            <button
              type="button"
              class="pr-btn pr-btn-sm pr-btn-icon"
              aria-label="Move up"
              i18n-aria-label="@@queue.moveUp"
              data-move="up"
              [disabled]="first"
              (click)="moveBy(question, index, -1)"
            >
              <pr-icon name="arrow-up" />
            </button>
            <button
              type="button"
              class="pr-btn pr-btn-sm pr-btn-icon"
              aria-label="Move down"
              i18n-aria-label="@@queue.moveDown"
              data-move="down"
              [disabled]="last"
              (click)="moveBy(question, index, 1)"
            >
              <pr-icon name="arrow-down" />
            </button>
            <button
              type="button"
              class="pr-btn pr-btn-sm pr-btn-icon pr-btn-danger"
              aria-label="Remove from the queue"
              i18n-aria-label="@@queue.remove"
              (click)="removed.emit(question.id)"
            >
              <pr-icon name="trash" />
            </button>
          </pr-question-card>
          <div class="placeholder" *cdkDragPlaceholder></div>
        </li>
      }
    </ol>
    <p class="pr-visually-hidden" aria-live="polite">{{ announcement() }}</p>
  `,
  styles: `
    .queue {
      list-style: none;
      margin: 0;
      padding: 0;
      display: flex;
      flex-direction: column;
      gap: 0.5rem;
    }
    .item {
      display: flex;
      gap: 0.5rem;
      padding: 0.625rem 0.75rem 0.625rem 0.375rem;
      border: 1px solid var(--pr-border);
      border-radius: var(--pr-radius);
      background: var(--pr-surface);
    }
    .item.on-air {
      border-color: var(--pr-live);
      box-shadow: inset 3px 0 0 var(--pr-live);
    }
    .place {
      display: flex;
      flex-direction: column;
      align-items: center;
      gap: 0.25rem;
      flex: none;
      width: 1.75rem;
    }
    .handle {
      display: grid;
      place-items: center;
      width: 1.75rem;
      height: 1.75rem;
      border-radius: var(--pr-radius-small);
      color: var(--pr-text-muted);
      cursor: grab;
      touch-action: none;
    }
    .handle:hover {
      background: var(--pr-surface-sunken);
      color: var(--pr-text);
    }
    .number {
      font-weight: 700;
      font-size: 0.8125rem;
      color: var(--pr-text-muted);
    }
    pr-question-card {
      flex: 1;
    }
    .placeholder {
      min-height: 4.5rem;
      border: 2px dashed var(--pr-border-strong);
      border-radius: var(--pr-radius);
      background: var(--pr-surface-sunken);
    }
    .cdk-drag-preview {
      box-shadow: 0 10px 28px rgb(16 24 40 / 0.22);
    }
    .cdk-drag-animating,
    .queue.cdk-drop-list-dragging .item:not(.cdk-drag-placeholder) {
      transition: transform 200ms cubic-bezier(0, 0, 0.2, 1);
    }
  `,
})
export class ApprovedQueue {
  readonly questions = input.required<readonly QuestionView[]>();
  readonly moved = output<QueueMove>();
  /** A question to put on air, or null to clear the air. */
  readonly onAirChanged = output<string | null>();
  readonly answered = output<string>();
  readonly removed = output<string>();
  readonly edited = output<{ questionId: string; text: string }>();

  /** Said to screen readers after a move with the buttons. */
  protected readonly announcement = signal('');
  readonly #host = inject<ElementRef<HTMLElement>>(ElementRef);
  readonly #injector = inject(Injector);

  protected itemLabel(place: number, name: string): string {
    return $localize`:@@queue.item:Question ${place}:place: from ${participantName(name)}:name:`;
  }

  protected dropped(drop: CdkDragDrop<unknown>): void {
    if (drop.previousIndex !== drop.currentIndex) this.moved.emit({ from: drop.previousIndex, to: drop.currentIndex });
  }

  /** Moves with a button, and keeps the focus on that button as the question changes place. */
  protected moveBy(question: QuestionView, index: number, delta: -1 | 1): void {
    this.moved.emit({ from: index, to: index + delta });
    this.announcement.set(
      $localize`:@@queue.moved:Question from ${participantName(question.name)}:name: moved to place ${index + delta + 1}:place:`,
    );
    const item = `[data-question-id="${question.id}"]`;
    const host = this.#host.nativeElement;
    afterNextRender(
      {
        // At an end of the queue that button is now disabled: the other one takes the focus.
        write: () =>
          (
            host.querySelector<HTMLElement>(`${item} [data-move="${delta < 0 ? 'up' : 'down'}"]:not([disabled])`) ??
            host.querySelector<HTMLElement>(`${item} [data-move]:not([disabled])`)
          )?.focus(),
      },
      { injector: this.#injector },
    );
  }
}
