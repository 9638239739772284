import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Icon } from '../../../shared/icon';
import { StageStore } from '../stage/stage.store';
import { HandsStore } from './hands.store';

/**
 * Raised hands in the order they went up: acknowledge one to give the floor, invite one on stage (into
 * the studio as a guest), dismiss it when done.
 */
@Component({
  selector: 'pr-hands-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, Icon],
  template: `
    <section class="pr-panel panel" aria-labelledby="hands-title">
      <h2 id="hands-title" class="pr-panel-title">
        <pr-icon name="hand" />Raised hands
        <span class="pr-badge" data-testid="hands-count">{{ store.queue().length }}</span>
      </h2>
      @if (store.queue().length === 0) {
        <p class="pr-empty">No hands raised.</p>
      } @else {
        <ol class="hands">
          @for (hand of store.queue(); track hand.id; let index = $index) {
            <li
              class="hand"
              [class.acknowledged]="hand.status === 'acknowledged'"
              [attr.aria-label]="'Hand of ' + hand.name"
            >
              <span class="number" aria-hidden="true">{{ index + 1 }}</span>
              <div class="who">
                <div>
                  <strong>{{ hand.name }}</strong><span class="pr-meta outlet">{{ hand.outlet }}</span>
                </div>
                @if (hand.topic) {
                  <p class="topic">{{ hand.topic }}</p>
                }
                <div class="pr-meta">
                  Raised <time [attr.datetime]="hand.raisedAt">{{ hand.raisedAt | date: 'HH:mm' }}</time>
                  @if (hand.status === 'acknowledged') {
                    <span class="pr-badge pr-badge-success">Has the floor</span>
                  }
                </div>
              </div>
              <div class="actions">
                @if (hand.status === 'raised') {
                  <button type="button" class="pr-btn pr-btn-sm pr-btn-primary" (click)="store.acknowledge(hand.id)">
                    <pr-icon name="check" />Acknowledge
                  </button>
                }
                @if (stage.isOnStage(hand.participantId)) {
                  <span class="pr-badge pr-badge-accent">On stage</span>
                } @else {
                  <button
                    type="button"
                    class="pr-btn pr-btn-sm"
                    [disabled]="stage.full()"
                    [attr.title]="stage.full() ? 'The stage is full: end a turn first' : null"
                    [attr.aria-label]="'Invite on stage: ' + hand.name"
                    (click)="stage.invite(hand.id)"
                  >
                    <pr-icon name="mic" />Invite on stage
                  </button>
                }
                <button type="button" class="pr-btn pr-btn-sm" (click)="store.dismiss(hand.id)">
                  <pr-icon name="x" />Dismiss
                </button>
              </div>
            </li>
          }
        </ol>
      }
    </section>
  `,
  styles: `
    .panel {
      padding: 0.75rem;
    }
    h2 {
      margin-bottom: 0.5rem;
    }
    .hands {
      list-style: none;
      margin: 0;
      padding: 0;
      display: flex;
      flex-direction: column;
      gap: 0.4rem;
    }
    .hand {
      display: flex;
      gap: 0.6rem;
      align-items: flex-start;
      flex-wrap: wrap;
      padding: 0.5rem 0.6rem;
      border: 1px solid var(--pr-border);
      border-radius: var(--pr-radius);
    }
    .hand.acknowledged {
      border-color: var(--pr-success);
      background: var(--pr-success-soft);
    }
    .number {
      font-weight: 700;
      color: var(--pr-text-muted);
      min-width: 1rem;
    }
    .who {
      flex: 1;
      min-width: 8rem;
      overflow-wrap: anywhere;
    }
    .outlet {
      margin-left: 0.4rem;
    }
    .who .pr-badge {
      margin-left: 0.4rem;
    }
    .topic {
      margin: 0.15rem 0;
    }
    .actions {
      display: flex;
      gap: 0.35rem;
      flex-wrap: wrap;
    }
  `,
})
export class HandsPanel {
  protected readonly store = inject(HandsStore);
  protected readonly stage = inject(StageStore);
}
