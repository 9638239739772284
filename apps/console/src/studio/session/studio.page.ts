import { LanguageMenu } from '../../shared/i18n/language-menu';
import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  ElementRef,
  inject,
  Injector,
  input,
  type OnInit,
} from '@angular/core';
import { Title } from '@angular/platform-browser';
import { privacyPath, type EventStatus, type Role } from '@pressroom/protocol';
import { CaptionerPage } from '../crew/captioner.page';
import { DeviceCheckPage } from '../device-check/device-check.page';
import { StagePage } from '../stage/stage.page';
import { Icon } from '../../shared/icon';
import { PrivacyFooter } from '../../shared/privacy-footer';
import { Notice } from '../ui/notice';
import { SessionStore } from './session.store';

const STATUS_LABELS = (): Record<EventStatus, string> => ({
  scheduled: $localize`:@@studio.status.scheduled:Not live yet`,
  live: $localize`:@@studio.status.live:Live`,
  ended: $localize`:@@studio.status.ended:Ended`,
  purged: $localize`:@@studio.status.ended:Ended`,
});

/** The page's name for each invite's job. */
const BRANDS = (): Partial<Record<Role, string>> => ({
  captioner: $localize`:@@studio.brand.captioner:Live captions`,
  interpreter: $localize`:@@studio.brand.interpreter:Interpretation booth`,
  signer: $localize`:@@studio.brand.signer:Sign language`,
});

/** `/studio/:slug?invite=…`: the speaker's (or crew member's) whole visit, one view per phase. */
@Component({
  selector: 'pr-studio-page',
  imports: [CaptionerPage, DeviceCheckPage, Icon, LanguageMenu, Notice, PrivacyFooter, StagePage],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '(window:beforeunload)': 'confirmClosing($event)' },
  styleUrl: './studio.page.css',
  template: `
    <header class="topbar">
      <div class="brand">
        <pr-icon name="broadcast" /><span>{{ brand() }}</span>
      </div>
      @if (session.event(); as event) {
        <p class="event-title">{{ event.title }}</p>
        <p class="status" [class]="event.status"><span class="dot" aria-hidden="true"></span>{{ statusLabel() }}</p>
      }
      @if (session.phase() !== 'live' && session.phase() !== 'joining') {
        <!-- Not on the live stage: a change of language reloads the page, which would drop the speaker off air. -->
        <pr-language-menu class="language" />
      }
    </header>
    <main>
      @switch (session.phase()) {
        @case ('loading') {
          <pr-notice [busy]="true" heading="Checking your invite…" i18n-heading="@@studio.checkingInvite" />
        }
        @case ('left') {
          <pr-notice
            icon="check"
            heading="You left the studio"
            i18n-heading="@@studio.left.heading"
            message="Thank you. You can join again with the same invite link while the event is on."
            i18n-message="@@studio.left.message"
          >
            <button class="btn btn-primary" type="button" (click)="session.rejoin()" i18n="@@studio.rejoin">
              Rejoin the studio
            </button>
          </pr-notice>
        }
        @case ('closed') {
          @if (session.closure(); as closure) {
            <pr-notice
              [icon]="closure.tone === 'info' ? 'check' : 'alert'"
              [tone]="closure.tone"
              [heading]="closure.heading"
              [message]="closure.message"
            >
              @if (closure.canRetry) {
                <button class="btn btn-primary" type="button" (click)="session.rejoin()">
                  <pr-icon name="refresh" /><ng-container i18n="@@common.tryAgain">Try again</ng-container>
                </button>
              }
            </pr-notice>
          }
        }
        @case ('live') {
          @if (session.role() === 'captioner') {
            <pr-captioner-page
              [eventStatus]="session.event()?.status ?? null"
              [language]="session.language()"
              (leave)="session.leave()"
            />
          } @else {
            <pr-stage-page
              [eventStatus]="session.event()?.status ?? null"
              [speakerName]="session.speakerName()"
              [role]="session.role()"
              [language]="session.language()"
              (leave)="session.leave()"
            />
          }
        }
        @default {
          <pr-device-check-page
            [eventTitle]="session.event()?.title ?? null"
            [role]="session.role()"
            [language]="session.language()"
            [joining]="session.phase() === 'joining'"
            [joinProblem]="session.joinProblem()"
            [privacyHref]="privacyHref()"
            (join)="session.join()"
          />
        }
      }
    </main>
    <pr-privacy-footer [slug]="slug() ?? null" [token]="hasAccess() ? session.accessToken : null" />
  `,
})
export class StudioPage implements OnInit {
  /** From the route (`:slug`) and the query (`?invite=`). */
  readonly slug = input<string>();
  readonly invite = input<string>();

  protected readonly session = inject(SessionStore);
  /** The speaker's own data is theirs to download or erase once the invite let them in. */
  protected readonly hasAccess = computed(() => !['loading', 'closed'].includes(this.session.phase()));
  protected readonly privacyHref = computed(() => (this.slug() ? privacyPath(encodeURIComponent(this.slug()!)) : null));
  protected readonly brand = computed(
    () => BRANDS()[this.session.role()] ?? $localize`:@@studio.brand.speaker:Speaker studio`,
  );
  protected readonly statusLabel = computed(() => {
    const event = this.session.event();
    return event ? STATUS_LABELS()[event.status] : '';
  });

  readonly #host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;

  constructor() {
    const title = inject(Title);
    const injector = inject(Injector);
    effect(() => {
      const event = this.session.event();
      const brand = this.brand();
      title.setTitle(event ? `${event.title} · ${brand}` : `${brand} · Pressroom`);
    });
    // Each new view's heading takes the focus, so that keyboard and screen reader users start there.
    let first = true;
    effect(() => {
      this.session.phase();
      if (first) {
        first = false;
        return;
      }
      afterNextRender(() => this.#host.querySelector<HTMLElement>('main h1')?.focus(), { injector });
    });
  }

  ngOnInit(): void {
    void this.session.open(this.slug() ?? '', this.invite());
  }

  /** In the studio, closing the tab by mistake would drop the speaker off the air: the browser asks first. */
  protected confirmClosing(event: BeforeUnloadEvent): void {
    if (this.session.phase() === 'live') event.preventDefault();
  }
}
