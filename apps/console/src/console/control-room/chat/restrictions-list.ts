import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { participantName } from '../../../shared/i18n/participant-name';
import { roleName } from '../../../shared/i18n/role-name';
import type { RestrictionView } from '@pressroom/protocol';
import { Icon } from '../../../shared/icon';

/**
 * Who is muted or banned in the event, by any moderator: folded away under its count, so the chat
 * keeps its room. A muted person can be unmuted here even when none of their messages is in view.
 */
@Component({
  selector: 'pr-restrictions-list',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Icon],
  template: `
    <details>
      <summary>
        <ng-container i18n="@@restrictions.title">Muted and banned</ng-container>&ngsp;
        <span class="pr-badge" data-testid="restrictions-count">{{ restrictions().length }}</span>
      </summary>
      <ul aria-label="Muted and banned people" i18n-aria-label="@@restrictions.label">
        @for (person of restrictions(); track person.participantId) {
          <li>
            <span class="who">
              <strong>{{ nameOf(person) }}</strong>
              @if (person.outlet) {
                <span class="pr-meta">{{ person.outlet }}</span>
              }
            </span>
            @if (person.banned) {
              <span class="pr-badge pr-badge-danger" i18n="@@chat.banned">Banned</span>
            } @else {
              <span class="pr-badge pr-badge-warning" i18n="@@chat.muted">Muted</span>
              <button
                type="button"
                class="pr-btn pr-btn-sm"
                [attr.aria-label]="unmuteLabel(nameOf(person))"
                (click)="unmuted.emit(person.participantId)"
              >
                <pr-icon name="mute" /><ng-container i18n="@@chat.unmute">Unmute</ng-container>
              </button>
            }
          </li>
        }
      </ul>
    </details>
  `,
  styles: `
    :host {
      display: block;
      padding: 0.5rem 0.75rem;
      border-bottom: 1px solid var(--pr-border);
    }
    summary {
      display: flex;
      align-items: center;
      gap: 0.4rem;
      font-size: 0.875rem;
      font-weight: 650;
      cursor: pointer;
    }
    summary::before {
      content: '▸';
      color: var(--pr-text-muted);
    }
    details[open] summary::before {
      content: '▾';
    }
    summary::-webkit-details-marker {
      display: none;
    }
    ul {
      list-style: none;
      margin: 0.4rem 0 0;
      padding: 0;
      max-height: 10rem;
      overflow-y: auto;
    }
    li {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.4rem;
      padding: 0.3rem 0;
      font-size: 0.875rem;
    }
    .who {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 0.4rem;
      flex: 1;
      min-width: 0;
      overflow-wrap: anywhere;
    }
  `,
})
export class RestrictionsList {
  readonly restrictions = input.required<readonly RestrictionView[]>();
  /** The participant id of the person to unmute. */
  readonly unmuted = output<string>();

  protected nameOf(person: RestrictionView): string {
    return (
      participantName(person.name) ?? $localize`:@@restrictions.anonymous:Anonymous (${roleName(person.role)}:role:)`
    );
  }

  protected unmuteLabel(name: string): string {
    return $localize`:@@restrictions.unmuteLabel:Unmute ${name}:name:`;
  }
}
