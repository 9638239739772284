import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Icon } from '../../../shared/icon';
import { participantName, ParticipantNamePipe } from '../../../shared/i18n/participant-name';
import { ApprovedQueue } from './approved-queue';
import { QuestionCard } from './question-card';
import { QuestionsStore } from './questions.store';

/** The questions desk: what is on air, what waits for a decision, the queue, and what was answered. */
@Component({
  selector: 'pr-questions-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Icon, QuestionCard, ApprovedQueue, ParticipantNamePipe],
  template: `
    <section class="on-air" [class.empty]="!store.onAir()" aria-labelledby="on-air-title">
      <h2 id="on-air-title" class="pr-panel-title">
        <pr-icon name="broadcast" /><ng-container i18n="@@questions.onAir">On air</ng-container>
      </h2>
      @if (store.onAir(); as question) {
        <div class="on-air-body">
          <p class="on-air-text">
            <strong>{{ question.name | participantName }}</strong><span class="pr-meta outlet">{{
              question.outlet
            }}</span>
            <span class="quote">{{ question.text }}</span>
          </p>
          <button type="button" class="pr-btn pr-btn-sm" (click)="store.putOnAir(null)">
            <pr-icon name="stop" /><ng-container i18n="@@questions.clearAir">Clear the air</ng-container>
          </button>
        </div>
      } @else {
        <p class="pr-meta idle" i18n="@@questions.noneOnAir">
          No question on air. “Put on air” shows one as a lower third in the broadcast.
        </p>
      }
    </section>

    <section class="pr-panel block" aria-labelledby="pending-title">
      <h2 id="pending-title" class="pr-panel-title">
        <ng-container i18n="@@questions.pending">Pending questions</ng-container>&ngsp;
        <span class="pr-badge" data-testid="pending-count">{{ store.pending().length }}</span>
      </h2>
      @if (store.pending().length === 0) {
        <p class="pr-empty" i18n="@@questions.noPending">
          No questions waiting. New ones appear here as journalists ask them.
        </p>
      } @else {
        <ul class="list">
          @for (question of store.pending(); track question.id) {
            <li class="item" [attr.aria-label]="questionFrom(question.name)">
              <pr-question-card [question]="question" (edited)="store.edit(question.id, $event)">
                <button type="button" class="pr-btn pr-btn-sm pr-btn-primary" (click)="store.approve(question.id)">
                  <pr-icon name="check" /><ng-container i18n="@@questions.approve">Approve</ng-container>
                </button>
                <button type="button" class="pr-btn pr-btn-sm pr-btn-danger" (click)="store.reject(question.id)">
                  <pr-icon name="x" /><ng-container i18n="@@questions.reject">Reject</ng-container>
                </button>
              </pr-question-card>
            </li>
          }
        </ul>
      }
    </section>

    <section class="pr-panel block" aria-labelledby="queue-title">
      <h2 id="queue-title" class="pr-panel-title">
        <ng-container i18n="@@questions.queue">Approved queue</ng-container>&ngsp;
        <span class="pr-badge" data-testid="queue-count">{{ store.queue().length }}</span>
      </h2>
      <pr-approved-queue
        [questions]="store.queue()"
        (moved)="store.move($event.from, $event.to)"
        (onAirChanged)="store.putOnAir($event)"
        (answered)="store.markAnswered($event)"
        (removed)="store.reject($event)"
        (edited)="store.edit($event.questionId, $event.text)"
      />
    </section>

    @if (store.answered().length > 0) {
      <details class="pr-panel block answered">
        <summary class="pr-panel-title">
          <ng-container i18n="@@questions.answered">Answered</ng-container>&ngsp;
          <span class="pr-badge">{{ store.answered().length }}</span>
        </summary>
        <ul class="list">
          @for (question of store.answered(); track question.id) {
            <li class="item done">
              <strong>{{ question.name | participantName }}</strong><span class="pr-meta outlet">{{
                question.outlet
              }}</span>
              <p>{{ question.text }}</p>
            </li>
          }
        </ul>
      </details>
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 0.75rem;
    }
    .on-air {
      padding: 0.75rem 1rem;
      border-radius: var(--pr-radius);
      border: 1px solid var(--pr-live);
      background: light-dark(#fff5f4, #2a1615);
    }
    .on-air h2 {
      color: var(--pr-live);
    }
    .on-air.empty {
      border-color: var(--pr-border);
      background: var(--pr-surface);
    }
    .on-air.empty h2 {
      color: var(--pr-text-muted);
    }
    .on-air-body {
      display: flex;
      align-items: flex-start;
      gap: 0.75rem;
      margin-top: 0.4rem;
    }
    .on-air-text {
      flex: 1;
      margin: 0;
      overflow-wrap: anywhere;
    }
    .quote {
      display: block;
      margin-top: 0.2rem;
      font-size: 1.0625rem;
    }
    .outlet {
      margin-left: 0.4rem;
    }
    .idle {
      margin: 0.3rem 0 0;
    }
    .block {
      padding: 0.75rem;
    }
    .block > h2,
    .block > summary {
      margin-bottom: 0.6rem;
    }
    .list {
      list-style: none;
      margin: 0;
      padding: 0;
      display: flex;
      flex-direction: column;
      gap: 0.5rem;
    }
    .item {
      padding: 0.625rem 0.75rem;
      border: 1px solid var(--pr-border);
      border-radius: var(--pr-radius);
    }
    .answered summary {
      cursor: pointer;
      margin-bottom: 0;
    }
    .answered[open] summary {
      margin-bottom: 0.6rem;
    }
    .done p {
      margin: 0.2rem 0 0;
      color: var(--pr-text-muted);
    }
  `,
})
export class QuestionsPanel {
  protected readonly store = inject(QuestionsStore);

  protected questionFrom(name: string): string {
    return $localize`:@@questions.from:Question from ${participantName(name)}:name:`;
  }
}
