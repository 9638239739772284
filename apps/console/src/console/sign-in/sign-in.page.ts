import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { Router } from '@angular/router';
import { Icon } from '../../shared/icon';
import { LanguageMenu } from '../../shared/i18n/language-menu';
import { SignInStore } from './sign-in.store';

/** The way in: a moderator's email and password. `next` is where to go afterwards (a console path). */
@Component({
  selector: 'pr-sign-in-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Icon, LanguageMenu],
  template: `
    <main class="page">
      <div class="language"><pr-language-menu /></div>
      <form class="card pr-panel" (submit)="signIn($event, email.value, password.value)">
        <div class="brand">
          <span class="logo"><pr-icon name="broadcast" /></span>
          <div>
            <h1>Pressroom</h1>
            <p class="pr-meta" i18n="@@signIn.subtitle">Moderator console</p>
          </div>
        </div>
        <label class="pr-field">
          <span class="pr-label" i18n="@@signIn.email">Email</span>
          <input #email class="pr-input" type="email" name="email" autocomplete="username" required autofocus />
        </label>
        <label class="pr-field">
          <span class="pr-label" i18n="@@signIn.password">Password</span>
          <input #password class="pr-input" type="password" name="password" autocomplete="current-password" required />
        </label>
        @if (store.error(); as error) {
          <p class="pr-alert pr-alert-error" role="alert"><pr-icon name="alert" />{{ error }}</p>
        }
        <button class="pr-btn pr-btn-primary submit" type="submit" [disabled]="store.busy()">
          @if (store.busy()) {
            <ng-container i18n="@@signIn.signingIn">Signing in…</ng-container>
          } @else {
            <ng-container i18n="@@signIn.submit">Sign in</ng-container>
          }
        </button>
      </form>
    </main>
  `,
  styles: `
    .page {
      display: grid;
      place-items: center;
      min-height: 100vh;
      padding: 1rem;
    }
    .card {
      display: flex;
      flex-direction: column;
      gap: 1rem;
      width: min(24rem, 100%);
      padding: 1.75rem;
    }
    .brand {
      display: flex;
      gap: 0.75rem;
      align-items: center;
      margin-bottom: 0.5rem;
    }
    .brand h1 {
      font-size: 1.375rem;
    }
    .brand p {
      margin: 0;
    }
    .logo {
      display: grid;
      place-items: center;
      width: 2.5rem;
      height: 2.5rem;
      border-radius: var(--pr-radius);
      background: var(--pr-accent);
      color: var(--pr-on-accent);
      --pr-icon-size: 1.5rem;
    }
    .language {
      position: absolute;
      top: 0.75rem;
      right: 1rem;
    }
    .pr-alert {
      margin: 0;
    }
    .submit {
      margin-top: 0.25rem;
    }
  `,
})
export class SignInPage {
  /** From the query string: the page the moderator wanted before signing in. */
  readonly next = input<string>();
  protected readonly store = inject(SignInStore);
  readonly #router = inject(Router);

  protected async signIn(event: Event, email: string, password: string): Promise<void> {
    event.preventDefault();
    if (await this.store.signIn({ email: email.trim(), password })) {
      await this.#router.navigateByUrl(safeConsolePath(this.next()));
    }
  }
}

/** Only a path inside the console, never another site (`//evil.example`). */
function safeConsolePath(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/events';
}
