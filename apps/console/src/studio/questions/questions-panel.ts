import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { withOutlet, type QuestionView } from '@pressroom/protocol';
import { participantName } from '../../shared/i18n/participant-name';

/** The approved questions: the one on air (announced when it changes), then the queue in order. */
@Component({
  selector: 'pr-questions-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    :host {
      display: grid;
      align-content: start;
      gap: 1rem;
      padding: 1rem;
      border-radius: var(--pr-radius-large);
      background: var(--pr-surface);
      border: 1px solid var(--pr-border);
    }
    h2 {
      margin: 0;
      font-size: 1.0625rem;
      font-weight: 650;
    }
    h3 {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      margin: 0 0 0.5rem;
      font-size: 0.8125rem;
      font-weight: 600;
      text-transform: uppercase;
      letter-spacing: 0.06em;
      color: var(--pr-text-muted);
    }
    .count {
      padding: 0 0.5rem;
      border-radius: 999px;
      background: var(--pr-surface-high);
      color: var(--pr-text);
      letter-spacing: 0;
    }
    .on-air {
      padding: 0.875rem 1rem;
      border-radius: 0.625rem;
      background: var(--pr-surface-raised);
      border: 1px solid var(--pr-border);
    }
    .on-air.live {
      border-color: color-mix(in srgb, var(--pr-live) 55%, transparent);
      background: color-mix(in srgb, var(--pr-live) 10%, var(--pr-surface-raised));
    }
    .tag {
      display: inline-flex;
      align-items: center;
      gap: 0.375rem;
      margin: 0 0 0.5rem;
      font-size: 0.75rem;
      font-weight: 700;
      text-transform: uppercase;
      letter-spacing: 0.08em;
      color: #ff9c9f;
    }
    .dot {
      inline-size: 0.5rem;
      block-size: 0.5rem;
      border-radius: 50%;
      background: var(--pr-live);
    }
    .text {
      margin: 0;
      font-size: 1.0625rem;
      line-height: 1.45;
    }
    .asker {
      margin: 0.375rem 0 0;
      font-size: 0.875rem;
      color: var(--pr-text-muted);
    }
    .empty {
      margin: 0;
      color: var(--pr-text-muted);
      font-size: 0.9375rem;
    }
    ol {
      display: grid;
      gap: 0.5rem;
      margin: 0;
      padding: 0;
      list-style: none;
      counter-reset: queue;
    }
    li {
      display: grid;
      grid-template-columns: auto 1fr;
      column-gap: 0.625rem;
      padding: 0.625rem 0.75rem;
      border-radius: 0.5rem;
      background: var(--pr-surface-raised);
      counter-increment: queue;
    }
    li::before {
      content: counter(queue);
      grid-row: span 2;
      color: var(--pr-text-muted);
      font-variant-numeric: tabular-nums;
      font-weight: 600;
    }
    li .text {
      font-size: 0.9375rem;
    }
    li .asker {
      margin: 0.25rem 0 0;
      font-size: 0.8125rem;
    }
    .answered {
      margin: 0.75rem 0 0;
      font-size: 0.8125rem;
      color: var(--pr-text-muted);
    }
  `,
  template: `
    <h2 i18n="@@studioQuestions.title">Questions</h2>
    <section aria-label="On air" i18n-aria-label="@@questions.onAir" class="on-air" [class.live]="!!onAir()">
      <div aria-live="polite" aria-atomic="true">
        @if (onAir(); as question) {
          <p class="tag">
            <span class="dot" aria-hidden="true"></span><ng-container i18n="@@questions.onAir">On air</ng-container>
          </p>
          <p class="text">{{ question.text }}</p>
          <p class="asker">{{ asker(question) }}</p>
        } @else {
          <p class="empty" i18n="@@studioQuestions.noneOnAir">
            No question is on air. When a moderator puts one on air, it shows here.
          </p>
        }
      </div>
    </section>
    <section aria-labelledby="up-next-heading">
      <h3 id="up-next-heading">
        <ng-container i18n="@@studioQuestions.upNext">Up next</ng-container>&ngsp;
        <span class="count"
          ><span class="visually-hidden">(</span>{{ upNext().length }}<span class="visually-hidden">)</span></span
        >
      </h3>
      @if (upNext().length > 0) {
        <ol>
          @for (question of upNext(); track question.id) {
            <li>
              <p class="text">{{ question.text }}</p>
              <p class="asker">
                {{ asker(question) }}
                @if (question.votes > 0) {
                  ·
                  <ng-container i18n="@@studioQuestions.votes">{question.votes, plural,
                    =1 {1 vote}
                    other {{{ question.votes }} votes}
                  }</ng-container>
                }
              </p>
            </li>
          }
        </ol>
      } @else {
        <p class="empty" i18n="@@studioQuestions.none">No approved questions yet.</p>
      }
      @if (answeredCount() > 0) {
        <p class="answered">
          <ng-container i18n="@@studioQuestions.answered">{answeredCount(), plural,
            =1 {1 answered}
            other {{{ answeredCount() }} answered}
          }</ng-container>
        </p>
      }
    </section>
  `,
})
export class QuestionsPanel {
  readonly onAir = input.required<QuestionView | null>();
  readonly upNext = input.required<readonly QuestionView[]>();
  readonly answeredCount = input.required<number>();

  protected asker(question: QuestionView): string {
    return withOutlet(participantName(question.name), question.outlet);
  }
}
