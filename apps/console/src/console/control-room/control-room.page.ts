import { ChangeDetectionStrategy, Component, computed, effect, inject, input, untracked } from '@angular/core';
import { Title } from '@angular/platform-browser';
import { RouterLink } from '@angular/router';
import { Icon } from '../../shared/icon';
import { EventStatusBadge } from '../events/event-status-badge';
import { BroadcastPanel } from './broadcast/broadcast-panel';
import { BroadcastStore } from './broadcast/broadcast.store';
import { ChatPanel } from './chat/chat-panel';
import { ChatStore } from './chat/chat.store';
import { ControlRoomLive } from './control-room-live';
import { CountersBar, type Counter } from './counters/counters-bar';
import { CountersStore } from './counters/counters.store';
import { CrewPanel } from './crew/crew-panel';
import { CrewStore } from './crew/crew.store';
import { HandsPanel } from './hands/hands-panel';
import { HandsStore } from './hands/hands.store';
import { Moderation } from './moderation';
import { QuestionsPanel } from './questions/questions-panel';
import { QuestionsStore } from './questions/questions.store';
import { RestreamPanel } from './restream/restream-panel';
import { RestreamStore } from './restream/restream.store';
import { SharingPanel } from './sharing/sharing-panel';
import { SharingStore } from './sharing/sharing.store';
import { StagePanel } from './stage/stage-panel';
import { StageStore } from './stage/stage.store';

const CONNECTION_LABELS = () =>
  ({
    idle: $localize`:@@controlRoom.connecting:Connecting…`,
    connecting: $localize`:@@controlRoom.connecting:Connecting…`,
    connected: $localize`:@@controlRoom.connected:Connected`,
    reconnecting: $localize`:@@controlRoom.reconnecting:Reconnecting…`,
    closed: $localize`:@@controlRoom.disconnected:Disconnected`,
  }) as const;

/**
 * One event's control room (`/events/:slug`): the broadcast and links on the left, the questions in
 * the middle, hands and chat on the right, the counters on top. Its stores and its connection live
 * as long as the page.
 */
@Component({
  selector: 'pr-control-room-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  providers: [
    ControlRoomLive,
    Moderation,
    BroadcastStore,
    QuestionsStore,
    ChatStore,
    HandsStore,
    CountersStore,
    SharingStore,
    StageStore,
    RestreamStore,
    CrewStore,
  ],
  imports: [
    RouterLink,
    Icon,
    EventStatusBadge,
    CountersBar,
    BroadcastPanel,
    RestreamPanel,
    SharingPanel,
    QuestionsPanel,
    HandsPanel,
    StagePanel,
    ChatPanel,
    CrewPanel,
  ],
  template: `
    <header class="bar">
      <div class="title">
        <a
          class="pr-btn pr-btn-ghost pr-btn-sm pr-btn-icon"
          routerLink="/events"
          aria-label="All events"
          i18n-aria-label="@@controlRoom.allEvents"
        >
          <pr-icon name="arrow-left" />
        </a>
        <div class="names">
          <h1>{{ broadcast.event()?.title ?? slug() }}</h1>
          <div class="state">
            @if (broadcast.status(); as status) {
              <pr-event-status-badge [status]="status" />
            }
            <span class="connection" [attr.data-status]="live.status()" role="status">
              <span class="dot" aria-hidden="true"></span>{{ connectionLabel() }}
            </span>
          </div>
        </div>
      </div>
      <pr-counters-bar [counters]="counters()" />
      <a class="pr-btn pr-btn-sm" [routerLink]="['/events', slug(), 'edit']"
        ><pr-icon name="pencil" /><ng-container i18n="@@controlRoom.editEvent">Edit event</ng-container></a
      >
    </header>

    @if (live.problem(); as problem) {
      <div class="pr-alert pr-alert-error problem" role="alert">
        <pr-icon name="alert" />
        <span>
          @if (live.status() === 'closed') {
            <ng-container i18n="@@controlRoom.notConnected">Not connected: {{ problem }}</ng-container>
          } @else {
            <ng-container i18n="@@controlRoom.connectionTrouble">Connection trouble: {{ problem }}</ng-container>
          }
        </span>
        @if (live.status() === 'closed') {
          <button type="button" class="pr-btn pr-btn-sm" (click)="open()" i18n="@@common.tryAgain">Try again</button>
        }
      </div>
    }

    <main class="room">
      <div class="column side">
        <pr-broadcast-panel />
        <pr-restream-panel />
        <pr-sharing-panel />
        <pr-crew-panel />
      </div>
      <pr-questions-panel class="column main" />
      <div class="column side conversation">
        <pr-stage-panel />
        <pr-hands-panel />
        <pr-chat-panel />
      </div>
    </main>
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      flex: 1;
      min-height: 0;
    }
    .bar {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.75rem 1.25rem;
      padding: 0.75rem 1rem;
      background: var(--pr-surface);
      border-bottom: 1px solid var(--pr-border);
    }
    .title {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      flex: 1;
      min-width: 14rem;
    }
    .names {
      min-width: 0;
    }
    h1 {
      font-size: 1.25rem;
      overflow-wrap: anywhere;
    }
    .state {
      display: flex;
      align-items: center;
      gap: 0.6rem;
      margin-top: 0.15rem;
    }
    .connection {
      display: inline-flex;
      align-items: center;
      gap: 0.35rem;
      font-size: 0.8125rem;
      color: var(--pr-text-muted);
    }
    .dot {
      width: 0.5rem;
      height: 0.5rem;
      border-radius: 50%;
      background: var(--pr-warning);
    }
    [data-status='connected'] .dot {
      background: var(--pr-success);
    }
    [data-status='closed'] .dot {
      background: var(--pr-danger);
    }
    .problem {
      margin: 0.75rem 1rem 0;
      align-items: center;
    }
    .problem span {
      flex: 1;
    }
    .room {
      display: grid;
      grid-template-columns: minmax(17rem, 22rem) minmax(22rem, 1fr) minmax(19rem, 25rem);
      gap: 0.75rem;
      padding: 0.75rem;
      flex: 1;
      min-height: 0;
    }
    .column {
      display: flex;
      flex-direction: column;
      gap: 0.75rem;
      min-width: 0;
    }
    @media (min-width: 1100px) {
      :host {
        height: calc(100vh - 3.25rem);
      }
      .column {
        overflow-y: auto;
        min-height: 0;
      }
      .conversation {
        overflow: hidden;
      }
      .conversation pr-chat-panel {
        flex: 1;
      }
    }
    @media (max-width: 1099px) {
      .room {
        grid-template-columns: 1fr 1fr;
      }
      .main {
        grid-column: 1 / -1;
        grid-row: 1;
      }
      pr-chat-panel {
        max-height: 32rem;
      }
    }
    @media (max-width: 720px) {
      .room {
        grid-template-columns: 1fr;
        padding: 0.5rem;
      }
    }
  `,
})
export class ControlRoomPage {
  /** From the route. */
  readonly slug = input.required<string>();
  protected readonly live = inject(ControlRoomLive);
  protected readonly broadcast = inject(BroadcastStore);
  readonly #sharing = inject(SharingStore);
  readonly #questions = inject(QuestionsStore);
  readonly #hands = inject(HandsStore);
  readonly #counters = inject(CountersStore);
  readonly #stage = inject(StageStore);

  protected readonly connectionLabel = computed(() => CONNECTION_LABELS()[this.live.status()]);
  protected readonly counters = computed<Counter[]>(() => [
    {
      id: 'audience',
      label: $localize`:@@counters.audience:Audience`,
      icon: 'users',
      value: this.#counters.audience(),
    },
    {
      id: 'speakers',
      label: $localize`:@@counters.speakers:Speakers`,
      icon: 'mic',
      value: this.#counters.speakers(),
    },
    {
      id: 'pending',
      label: $localize`:@@counters.pending:Pending`,
      icon: 'question',
      value: this.#questions.pending().length,
    },
    {
      id: 'queue',
      label: $localize`:@@counters.queue:In queue`,
      icon: 'message',
      value: this.#questions.queue().length,
    },
    { id: 'hands', label: $localize`:@@counters.hands:Hands`, icon: 'hand', value: this.#hands.waiting() },
    { id: 'stage', label: $localize`:@@counters.stage:On stage`, icon: 'mic', value: this.#stage.guests().length },
  ]);

  constructor() {
    // The stores listen from their construction (here and in the panels); the connection opens after.
    inject(ChatStore);
    inject(RestreamStore);
    effect(() => {
      const slug = this.slug();
      untracked(() => this.open(slug));
    });
    const title = inject(Title);
    effect(() =>
      title.setTitle(
        $localize`:@@title.controlRoomOf:${this.broadcast.event()?.title ?? this.slug()}:event: · Control room · Pressroom`,
      ),
    );
  }

  protected open(slug = this.slug()): void {
    void this.live.open(slug);
    void this.broadcast.open(slug);
    void this.#sharing.open(slug);
  }
}
