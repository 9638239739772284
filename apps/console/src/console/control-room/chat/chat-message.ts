import { DatePipe } from '@angular/common';
import { ParticipantNamePipe } from '../../../shared/i18n/participant-name';
import { roleName } from '../../../shared/i18n/role-name';
import { ChangeDetectionStrategy, Component, computed, input, output, signal } from '@angular/core';
import type { ChatMessageView, Role } from '@pressroom/protocol';
import { Icon } from '../../../shared/icon';

const AUDIENCE: readonly Role[] = ['journalist', 'viewer'];

/**
 * One chat message with what a moderator may do to it: approve it (when held), hide it, and for
 * audience members mute or ban its author (banning asks once more).
 */
@Component({
  selector: 'pr-chat-message',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, Icon, ParticipantNamePipe],
  template: `
    <div class="meta">
      <strong>{{ message().authorName | participantName }}</strong>
      @if (message().authorOutlet) {
        <span class="pr-meta">{{ message().authorOutlet }}</span>
      }
      @if (!fromAudience()) {
        <span class="pr-badge pr-badge-accent">{{ roleName(message().authorRole) }}</span>
      }
      @if (isBanned()) {
        <span class="pr-badge pr-badge-danger" i18n="@@chat.banned">Banned</span>
      } @else if (isMuted()) {
        <span class="pr-badge pr-badge-warning" i18n="@@chat.muted">Muted</span>
      }
      <time class="pr-meta time" [attr.datetime]="message().createdAt">{{ message().createdAt | date: 'HH:mm' }}</time>
    </div>
    <p class="text">{{ message().text }}</p>
    @if (confirmingBan()) {
      <div class="confirm" role="group" aria-label="Confirm the ban" i18n-aria-label="@@chat.confirmBan">
        <p i18n="@@chat.banQuestion">
          Ban {{ message().authorName | participantName }}? They lose access to the event at once.
        </p>
        <button type="button" class="pr-btn pr-btn-sm pr-btn-danger-solid" (click)="confirmBan()" i18n="@@chat.banName">
          Ban {{ message().authorName | participantName }}
        </button>
        <button type="button" class="pr-btn pr-btn-sm" (click)="confirmingBan.set(false)" i18n="@@common.cancel">
          Cancel
        </button>
      </div>
    } @else {
      <div class="actions">
        @if (message().status === 'pending') {
          <button type="button" class="pr-btn pr-btn-sm pr-btn-primary" (click)="approved.emit()">
            <pr-icon name="check" /><ng-container i18n="@@chat.approve">Approve</ng-container>
          </button>
        }
        <button type="button" class="pr-btn pr-btn-sm" (click)="hidden.emit()">
          <pr-icon name="eye-off" /><ng-container i18n="@@chat.hide">Hide</ng-container>
        </button>
        @if (fromAudience() && !isBanned()) {
          <button type="button" class="pr-btn pr-btn-sm" (click)="muted.emit(!isMuted())">
            <pr-icon name="mute" />
            @if (isMuted()) {
              <ng-container i18n="@@chat.unmute">Unmute</ng-container>
            } @else {
              <ng-container i18n="@@chat.mute">Mute</ng-container>
            }
          </button>
          <button type="button" class="pr-btn pr-btn-sm pr-btn-danger" (click)="confirmingBan.set(true)">
            <pr-icon name="ban" /><ng-container i18n="@@chat.ban">Ban</ng-container>
          </button>
        }
      </div>
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 0.25rem;
    }
    .meta {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 0.4rem;
      font-size: 0.875rem;
    }
    .time {
      margin-left: auto;
    }
    .text {
      margin: 0;
      white-space: pre-line;
      overflow-wrap: anywhere;
    }
    .actions,
    .confirm {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.35rem;
    }
    .confirm {
      padding: 0.5rem;
      border-radius: var(--pr-radius-small);
      background: var(--pr-danger-soft);
    }
    .confirm p {
      flex-basis: 100%;
      margin: 0;
      font-size: 0.875rem;
    }
  `,
})
export class ChatMessage {
  readonly message = input.required<ChatMessageView>();
  readonly isMuted = input(false);
  readonly isBanned = input(false);
  readonly approved = output<void>();
  readonly hidden = output<void>();
  /** Mute (true) or unmute (false) the author. */
  readonly muted = output<boolean>();
  readonly banned = output<void>();

  protected readonly confirmingBan = signal(false);
  protected readonly roleName = roleName;
  protected readonly fromAudience = computed(() => AUDIENCE.includes(this.message().authorRole));

  protected confirmBan(): void {
    this.confirmingBan.set(false);
    this.banned.emit();
  }
}
