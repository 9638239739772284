import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Icon } from '../../../shared/icon';
import { participantName, ParticipantNamePipe } from '../../../shared/i18n/participant-name';
import { StageStore } from './stage.store';

/** "m:ss" (or "h:mm:ss") of a span in milliseconds, never negative. */
export function clock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/**
 * Who is on stage and for how long, and the invitations still waiting for an answer (with the time
 * left): mute or unmute a guest, end a turn, withdraw an invitation. Declines and lapses come as notices.
 */
@Component({
  selector: 'pr-stage-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Icon, ParticipantNamePipe],
  template: `
    <section class="pr-panel panel" aria-labelledby="stage-title">
      <h2 id="stage-title" class="pr-panel-title">
        <pr-icon name="mic" /><ng-container i18n="@@stage.title">On stage</ng-container>&ngsp;
        <span class="pr-badge" data-testid="stage-count">{{ store.guests().length }} / {{ store.maxGuests() }}</span>
      </h2>
      @if (store.guests().length === 0 && store.invitations().length === 0) {
        <p class="pr-empty" i18n="@@stage.empty">Nobody on stage. Invite a raised hand.</p>
      }
      <ul class="entries">
        @for (guest of store.guests(); track guest.participantId) {
          <li class="entry guest" [attr.aria-label]="onStageLabel(guest.name)">
            <div class="who">
              <strong>{{ guest.name | participantName }}</strong><span class="pr-meta outlet">{{ guest.outlet }}</span>
              <div class="pr-meta">
                <ng-container i18n="@@stage.since"
                  >On stage
                  <time class="since" [attr.datetime]="guest.since">{{ onStageFor(guest.since) }}</time></ng-container
                >
                @if (guest.muted) {
                  <span class="pr-badge pr-badge-danger" i18n="@@stage.muted">Muted</span>
                }
                @if (guest.reconnectBy) {
                  <span class="pr-badge pr-badge-warning" i18n="@@stage.reconnecting">Reconnecting</span>
                }
              </div>
            </div>
            <div class="actions">
              @if (guest.muted) {
                <button
                  type="button"
                  class="pr-btn pr-btn-sm"
                  [attr.aria-label]="unmuteLabel(guest.name)"
                  (click)="store.mute(guest.participantId, false)"
                >
                  <pr-icon name="mic" /><ng-container i18n="@@stage.unmute">Unmute</ng-container>
                </button>
              } @else {
                <button
                  type="button"
                  class="pr-btn pr-btn-sm"
                  [attr.aria-label]="muteLabel(guest.name)"
                  (click)="store.mute(guest.participantId, true)"
                >
                  <pr-icon name="mic-off" /><ng-container i18n="@@stage.mute">Mute</ng-container>
                </button>
              }
              <button
                type="button"
                class="pr-btn pr-btn-sm pr-btn-danger"
                [attr.aria-label]="endTurnLabel(guest.name)"
                (click)="store.remove(guest.participantId)"
              >
                <pr-icon name="stop" /><ng-container i18n="@@stage.endTurn">End turn</ng-container>
              </button>
            </div>
          </li>
        }
        @for (invitation of store.invitations(); track invitation.participantId) {
          <li class="entry invitation" [attr.aria-label]="invitedLabel(invitation.name)">
            <div class="who">
              <strong>{{ invitation.name | participantName }}</strong><span class="pr-meta outlet">{{
                invitation.outlet
              }}</span>
              <div class="pr-meta">
                <ng-container i18n="@@stage.invitedWithin"
                  >Invited, answer within <span class="left">{{ timeLeft(invitation.expiresAt) }}</span></ng-container
                >
              </div>
            </div>
            <div class="actions">
              <button
                type="button"
                class="pr-btn pr-btn-sm"
                [attr.aria-label]="withdrawLabel(invitation.name)"
                (click)="store.remove(invitation.participantId)"
              >
                <pr-icon name="x" /><ng-container i18n="@@stage.withdraw">Withdraw</ng-container>
              </button>
            </div>
          </li>
        }
      </ul>
    </section>
  `,
  styles: `
    .panel {
      padding: 0.75rem;
    }
    h2 {
      margin-bottom: 0.5rem;
    }
    .entries {
      list-style: none;
      margin: 0;
      padding: 0;
      display: flex;
      flex-direction: column;
      gap: 0.4rem;
    }
    .entry {
      display: flex;
      gap: 0.6rem;
      align-items: flex-start;
      flex-wrap: wrap;
      padding: 0.5rem 0.6rem;
      border: 1px solid var(--pr-border);
      border-radius: var(--pr-radius);
    }
    .guest {
      border-color: var(--pr-success);
      background: var(--pr-success-soft);
    }
    .invitation {
      border-style: dashed;
    }
    .who {
      flex: 1;
      min-width: 8rem;
      overflow-wrap: anywhere;
    }
    .outlet,
    .who .pr-badge {
      margin-left: 0.4rem;
    }
    .since,
    .left {
      font-variant-numeric: tabular-nums;
    }
    .actions {
      display: flex;
      gap: 0.35rem;
      flex-wrap: wrap;
    }
  `,
})
export class StagePanel {
  protected readonly store = inject(StageStore);

  protected onStageLabel(name: string): string {
    return $localize`:@@stage.onStageLabel:On stage: ${participantName(name)}:name:`;
  }

  protected muteLabel(name: string): string {
    return $localize`:@@stage.muteLabel:Mute ${participantName(name)}:name:`;
  }

  protected unmuteLabel(name: string): string {
    return $localize`:@@stage.unmuteLabel:Unmute ${participantName(name)}:name:`;
  }

  protected endTurnLabel(name: string): string {
    return $localize`:@@stage.endTurnLabel:End turn of ${participantName(name)}:name:`;
  }

  protected invitedLabel(name: string): string {
    return $localize`:@@stage.invitedLabel:Invited: ${participantName(name)}:name:`;
  }

  protected withdrawLabel(name: string): string {
    return $localize`:@@stage.withdrawLabel:Withdraw the invitation of ${participantName(name)}:name:`;
  }

  protected onStageFor(since: string): string {
    return clock(this.store.now() - Date.parse(since));
  }

  protected timeLeft(expiresAt: string): string {
    return clock(Date.parse(expiresAt) - this.store.now());
  }
}
