import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { Icon } from '../../shared/icon';
import { LanguageMenu } from '../../shared/i18n/language-menu';
import { ModeratorSession } from '../session/moderator-session';

/** The frame of the signed-in console: the top bar with the way to the events and out. */
@Component({
  selector: 'pr-console-shell',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterOutlet, RouterLink, RouterLinkActive, Icon, LanguageMenu],
  template: `
    <header class="bar">
      <a class="brand" routerLink="/events">
        <span class="logo"><pr-icon name="broadcast" /></span>
        <span>Pressroom <span class="sub" i18n="@@shell.console">console</span></span>
      </a>
      <nav aria-label="Console" i18n-aria-label="@@shell.nav">
        <a
          class="pr-btn pr-btn-ghost pr-btn-sm"
          routerLink="/events"
          routerLinkActive="active"
          ariaCurrentWhenActive="page"
          [routerLinkActiveOptions]="{ exact: true }"
          i18n="@@shell.events"
          >Events</a
        >
      </nav>
      <pr-language-menu />
      <button type="button" class="pr-btn pr-btn-ghost pr-btn-sm" (click)="signOut()">
        <pr-icon name="log-out" />
        <ng-container i18n="@@shell.signOut">Sign out</ng-container>
      </button>
    </header>
    <router-outlet />
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      min-height: 100vh;
    }
    .bar {
      display: flex;
      align-items: center;
      gap: 1rem;
      height: 3.25rem;
      padding: 0 1rem;
      background: var(--pr-surface);
      border-bottom: 1px solid var(--pr-border);
    }
    .brand {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      color: inherit;
      font-weight: 700;
      text-decoration: none;
    }
    .sub {
      color: var(--pr-text-muted);
      font-weight: 500;
    }
    .logo {
      display: grid;
      place-items: center;
      width: 1.875rem;
      height: 1.875rem;
      border-radius: 6px;
      background: var(--pr-accent);
      color: var(--pr-on-accent);
    }
    nav {
      flex: 1;
    }
    nav .active {
      background: var(--pr-accent-soft);
      color: var(--pr-accent);
    }
    @media (max-width: 480px) {
      .sub {
        display: none;
      }
      /* With the language menu the bar is wider than a phone: it takes a second line rather than scrolling. */
      .bar {
        flex-wrap: wrap;
        height: auto;
        min-height: 3.25rem;
        padding-block: 0.5rem;
        gap: 0.5rem;
      }
    }
  `,
})
export class ConsoleShell {
  readonly #session = inject(ModeratorSession);
  readonly #router = inject(Router);

  protected signOut(): void {
    this.#session.end();
    void this.#router.navigate(['/sign-in']);
  }
}
