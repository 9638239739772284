import { afterRenderEffect, ChangeDetectionStrategy, Component, ElementRef, inject, viewChild } from '@angular/core';
import { Icon } from '../../../shared/icon';
import { participantName } from '../../../shared/i18n/participant-name';
import { BroadcastStore } from '../broadcast/broadcast.store';
import { ChatMessage } from './chat-message';
import { ChatStore } from './chat.store';
import { RestrictionsList } from './restrictions-list';

/** Scrolled this close to the end, the chat follows new messages. */
const FOLLOW_PX = 48;

/**
 * The chat desk: who is muted or banned, messages held for approval, then the visible chat, newest at
 * the bottom.
 */
@Component({
  selector: 'pr-chat-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Icon, ChatMessage, RestrictionsList],
  template: `
    <section class="pr-panel panel" aria-labelledby="chat-title">
      <header class="head">
        <h2 id="chat-title" class="pr-panel-title">
          <pr-icon name="message" /><ng-container i18n="@@chat.title">Chat</ng-container>
        </h2>
        @if (broadcast.event(); as event) {
          <span class="pr-badge">
            @if (event.chatMode === 'pre') {
              <ng-container i18n="@@chat.modePre">Approval first</ng-container>
            } @else {
              <ng-container i18n="@@chat.modePost">Shown at once</ng-container>
            }
          </span>
        }
      </header>
      @if (store.restrictions().length > 0) {
        <pr-restrictions-list [restrictions]="store.restrictions()" (unmuted)="store.setMuted($event, false)" />
      }
      @if (store.pending().length > 0) {
        <section class="held" aria-labelledby="held-title">
          <h3 id="held-title">
            <ng-container i18n="@@chat.waiting">Waiting for approval</ng-container>&ngsp;
            <span class="pr-badge pr-badge-warning">{{ store.pending().length }}</span>
          </h3>
          <ul class="messages">
            @for (message of store.pending(); track message.id) {
              <li [attr.aria-label]="messageFrom(message.authorName)">
                <pr-chat-message
                  [message]="message"
                  [isMuted]="store.muted().has(message.participantId)"
                  [isBanned]="store.banned().has(message.participantId)"
                  (approved)="store.approve(message.id)"
                  (hidden)="store.hide(message.id)"
                  (muted)="store.setMuted(message.participantId, $event)"
                  (banned)="store.ban(message.participantId)"
                />
              </li>
            }
          </ul>
        </section>
      }
      <div #scroller class="scroller" (scroll)="noteScroll()">
        @if (store.visible().length === 0) {
          <p class="pr-empty" i18n="@@chat.empty">No messages yet.</p>
        }
        <ol class="messages" aria-label="Chat messages" i18n-aria-label="@@chat.messages">
          @for (message of store.visible(); track message.id) {
            <li [attr.aria-label]="messageFrom(message.authorName)">
              <pr-chat-message
                [message]="message"
                [isMuted]="store.muted().has(message.participantId)"
                [isBanned]="store.banned().has(message.participantId)"
                (hidden)="store.hide(message.id)"
                (muted)="store.setMuted(message.participantId, $event)"
                (banned)="store.ban(message.participantId)"
              />
            </li>
          }
        </ol>
      </div>
    </section>
  `,
  styles: `
    :host {
      display: flex;
      min-height: 0;
    }
    .panel {
      display: flex;
      flex-direction: column;
      flex: 1;
      min-height: 0;
      overflow: hidden;
    }
    .head {
      display: flex;
      justify-content: space-between;
      align-items: center;
      padding: 0.75rem;
      border-bottom: 1px solid var(--pr-border);
    }
    .held {
      max-height: 45%;
      overflow-y: auto;
      padding: 0.5rem 0.75rem;
      background: var(--pr-warning-soft);
      border-bottom: 1px solid var(--pr-border);
    }
    h3 {
      display: flex;
      align-items: center;
      gap: 0.4rem;
      margin-bottom: 0.4rem;
      font-size: 0.875rem;
    }
    .scroller {
      flex: 1;
      min-height: 12rem;
      overflow-y: auto;
      padding: 0.25rem 0.75rem;
    }
    .messages {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .messages li {
      padding: 0.55rem 0;
    }
    .messages li + li {
      border-top: 1px solid var(--pr-border);
    }
  `,
})
export class ChatPanel {
  protected readonly store = inject(ChatStore);
  protected readonly broadcast = inject(BroadcastStore);
  private readonly scroller = viewChild.required<ElementRef<HTMLElement>>('scroller');
  #following = true;

  constructor() {
    afterRenderEffect({
      write: () => {
        this.store.visible();
        const element = this.scroller().nativeElement;
        if (this.#following) element.scrollTop = element.scrollHeight;
      },
    });
  }

  protected messageFrom(name: string): string {
    return $localize`:@@chat.messageFrom:Message from ${participantName(name)}:name:`;
  }

  protected noteScroll(): void {
    const element = this.scroller().nativeElement;
    this.#following = element.scrollHeight - element.scrollTop - element.clientHeight < FOLLOW_PX;
  }
}
