import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { Icon, type IconName } from '../../shared/icon';

/**
 * A calm full-width message (loading, left, event ended, a problem), with room for actions below it. Its
 * heading takes the focus when the page changes to it, so screen readers announce it.
 */
@Component({
  selector: 'pr-notice',
  imports: [Icon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    :host {
      display: grid;
      place-items: center;
      padding: 3rem 1.25rem;
    }
    .card {
      max-inline-size: 32rem;
      text-align: center;
      display: grid;
      justify-items: center;
      gap: 0.75rem;
    }
    .badge {
      --pr-icon-size: 1.75rem;
      display: grid;
      place-items: center;
      inline-size: 3.5rem;
      block-size: 3.5rem;
      border-radius: 50%;
      background: var(--pr-surface-raised);
      color: var(--pr-accent);
    }
    .problem .badge {
      color: var(--pr-warning);
    }
    h1:focus {
      outline: none;
    }
    h1 {
      font-size: 1.5rem;
      margin: 0.5rem 0 0;
      font-weight: 600;
    }
    p {
      margin: 0;
      color: var(--pr-text-muted);
      line-height: 1.5;
    }
    .actions {
      margin-block-start: 1rem;
    }
    .spinner {
      inline-size: 1.75rem;
      block-size: 1.75rem;
      border-radius: 50%;
      border: 3px solid var(--pr-border);
      border-block-start-color: var(--pr-accent);
      animation: spin 0.9s linear infinite;
    }
    @keyframes spin {
      to {
        transform: rotate(1turn);
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .spinner {
        animation-duration: 3s;
      }
    }
  `,
  template: `
    <div class="card" [class.problem]="tone() === 'problem'">
      <div class="badge">
        @if (busy()) {
          <div class="spinner"></div>
        } @else {
          <pr-icon [name]="icon()" />
        }
      </div>
      <h1 tabindex="-1">{{ heading() }}</h1>
      <p>{{ message() }}</p>
      <div class="actions"><ng-content /></div>
    </div>
  `,
})
export class Notice {
  readonly heading = input.required<string>();
  readonly message = input('');
  readonly icon = input<IconName>('broadcast');
  readonly tone = input<'info' | 'problem'>('info');
  readonly busy = input(false);
}
