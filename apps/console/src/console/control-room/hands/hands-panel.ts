import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Icon } from '../../../shared/icon';
import { participantName, ParticipantNamePipe } from '../../../shared/i18n/participant-name';
import { StageStore } from '../stage/stage.store';
import { HandsStore } from './hands.store';

/**
 * Raised hands in the order they went up: acknowledge one to give the floor, invite one on stage (into
 * the studio as a guest), dismiss it when done.
 */
@Component({
  selector: 'pr-hands-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, Icon, ParticipantNamePipe],
  template: `
    <section class="pr-panel panel" aria-labelledby="hands-title">
      <h2 id="hands-title" class="pr-panel-title">
        <pr-icon name="hand" /><ng-container i18n="@@hands.title">Raised hands</ng-container>&ngsp;
        <span class="pr-badge" data-testid="hands-count">{{ store.queue().length }}</span>
      </h2>
      @if (store.queue().length === 0) {
        <p class="pr-empty" i18n="@@hands.none">No hands raised.</p>
      } @else {
        <ol class="hands">
          @for (hand of store.queue(); track hand.id; let index = $index) {
            <li
              class="hand"
              [class.acknowledged]="hand.status === 'acknowledged'"
              [attr.aria-label]="handOf(hand.name)"
            >
              <span class="number" aria-hidden="true">{{ index + 1 }}</span>
              <div class="who">
                <div>
                  <strong>{{ hand.name | participantName }}</strong><span class="pr-meta outlet">{{
                    hand.outlet
                  }}</span>
                </div>
                @if (hand.topic) {
                  <p class="topic">{{ hand.topic }}</p>
                }
                <div class="pr-meta">
                  <ng-container i18n="@@hands.raisedAt"
                    >Raised
                    <time [attr.datetime]="hand.raisedAt">{{ hand.raisedAt | date: 'HH:mm' }}</time></ng-container
                  >
                  @if (hand.status === 'acknowledged') {
                    <span class="pr-badge pr-badge-success" i18n="@@hands.hasFloor">Has the floor</span>
                  }
                </div>
              </div>
              <div class="actions">
                @if (hand.status === 'raised') {
                  <button type="button" class="pr-btn pr-btn-sm pr-btn-primary" (click)="store.acknowledge(hand.id)">
                    <pr-icon name="check" /><ng-container i18n="@@hands.acknowledge">Acknowledge</ng-container>
                  </button>
                }
                @if (stage.isOnStage(hand.participantId)) {
                  <span class="pr-badge pr-badge-accent" i18n="@@hands.onStage">On stage</span>
                } @else {
                  <button
                    type="button"
                    class="pr-btn pr-btn-sm"
                    [disabled]="stage.full()"
                    [attr.title]="stage.full() ? stageFull : null"
                    [attr.aria-label]="inviteLabel(hand.name)"
                    (click)="stage.invite(hand.id)"
                  >
                    <pr-icon name="mic" /><ng-container i18n="@@hands.invite">Invite on stage</ng-container>
                  </button>
                }
                <button type="button" class="pr-btn pr-btn-sm" (click)="store.dismiss(hand.id)">
                  <pr-icon name="x" /><ng-container i18n="@@hands.dismiss">Dismiss</ng-container>
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
  protected readonly stageFull = $localize`:@@hands.stageFull:The stage is full: end a turn first`;

  protected handOf(name: string): string {
    return $localize`:@@hands.handOf:Hand of ${participantName(name)}:name:`;
  }

  protected inviteLabel(name: string): string {
    return $localize`:@@hands.inviteLabel:Invite on stage: ${participantName(name)}:name:`;
  }
}
