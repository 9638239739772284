import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Icon } from '../../shared/icon';
import { LinkCopier } from '../notices/link-copier';
import { viewerLink } from './event-links';
import { EventStatusBadge } from './event-status-badge';
import { EventsStore } from './events.store';

/** Every event, newest start first, with the way into its control room. */
@Component({
  selector: 'pr-events-list-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, DatePipe, Icon, EventStatusBadge],
  template: `
    <main class="page">
      <header class="head">
        <h1 i18n="@@events.title">Events</h1>
        <a class="pr-btn pr-btn-primary" routerLink="/events/new"
          ><pr-icon name="plus" /><ng-container i18n="@@events.new">New event</ng-container></a
        >
      </header>

      @if (store.loadError(); as error) {
        <div class="pr-alert pr-alert-error" role="alert">
          <pr-icon name="alert" />
          <span>{{ error }}</span>
          <button type="button" class="pr-btn pr-btn-sm" (click)="store.load()" i18n="@@common.tryAgain">
            Try again
          </button>
        </div>
      }

      @if (store.events(); as events) {
        @if (events.length === 0) {
          <div class="pr-panel empty">
            <p i18n="@@events.empty">No events yet. Create one to get a viewer link and speaker invites.</p>
          </div>
        } @else {
          <ul class="list pr-panel" aria-label="Events" i18n-aria-label="@@events.list">
            @for (event of events; track event.id) {
              <li class="row">
                <div class="what">
                  <a class="title" [routerLink]="['/events', event.slug]">{{ event.title }}</a>
                  <span class="pr-meta">/{{ event.slug }}</span>
                </div>
                <div class="when pr-meta">
                  <pr-icon name="calendar" />
                  <time [attr.datetime]="event.startsAt">{{ event.startsAt | date: 'EEE d MMM y, HH:mm' }}</time>
                </div>
                <div class="status">
                  <pr-event-status-badge [status]="event.status" />
                  @if (event.passwordRequired) {
                    <span class="pr-badge" i18n="@@events.passwordBadge">Password</span>
                  }
                </div>
                <div class="actions">
                  <button
                    type="button"
                    class="pr-btn pr-btn-sm"
                    [attr.aria-label]="copyLabel(event.title)"
                    (click)="copyViewerLink(event.slug)"
                  >
                    <pr-icon name="link" /><ng-container i18n="@@events.viewerLink">Viewer link</ng-container>
                  </button>
                  @if (event.status !== 'purged') {
                    <a
                      class="pr-btn pr-btn-sm"
                      [routerLink]="['/events', event.slug, 'edit']"
                      [attr.aria-label]="editLabel(event.title)"
                      ><pr-icon name="pencil" /><ng-container i18n="@@events.edit">Edit</ng-container></a
                    >
                  }
                  <a
                    class="pr-btn pr-btn-sm pr-btn-primary"
                    [routerLink]="['/events', event.slug]"
                    [attr.aria-label]="openLabel(event.title)"
                    i18n="@@events.controlRoom"
                    >Control room</a
                  >
                </div>
              </li>
            }
          </ul>
        }
      } @else if (!store.loadError()) {
        <p class="pr-meta" role="status" i18n="@@events.loading">Loading events…</p>
      }
    </main>
  `,
  styles: `
    .page {
      width: min(72rem, 100%);
      margin: 0 auto;
      padding: 1.5rem 1rem 3rem;
      display: flex;
      flex-direction: column;
      gap: 1rem;
    }
    .head {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 1rem;
    }
    h1 {
      font-size: 1.5rem;
    }
    .empty p {
      margin: 0;
      padding: 2rem 1rem;
      text-align: center;
      color: var(--pr-text-muted);
    }
    .list {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .row {
      display: grid;
      grid-template-columns: minmax(12rem, 1fr) 13rem 9rem auto;
      align-items: center;
      gap: 1rem;
      padding: 0.875rem 1rem;
    }
    .row + .row {
      border-top: 1px solid var(--pr-border);
    }
    .what {
      display: flex;
      flex-direction: column;
      min-width: 0;
    }
    .title {
      font-weight: 650;
      color: var(--pr-text);
      text-decoration: none;
      overflow-wrap: anywhere;
    }
    .title:hover {
      color: var(--pr-accent);
      text-decoration: underline;
    }
    .when {
      display: flex;
      align-items: center;
      gap: 0.4rem;
    }
    .status {
      display: flex;
      gap: 0.35rem;
      flex-wrap: wrap;
    }
    .actions {
      display: flex;
      gap: 0.4rem;
      justify-content: flex-end;
      flex-wrap: wrap;
    }
    @media (max-width: 900px) {
      .row {
        grid-template-columns: 1fr auto;
      }
      .actions {
        grid-column: 1 / -1;
        justify-content: flex-start;
      }
    }
  `,
})
export class EventsListPage {
  protected readonly store = inject(EventsStore);
  readonly #copier = inject(LinkCopier);

  constructor() {
    void this.store.load();
  }

  protected copyViewerLink(slug: string): void {
    this.#copier.copy($localize`:@@events.viewerLink:Viewer link`, viewerLink(slug));
  }

  protected copyLabel(title: string): string {
    return $localize`:@@events.copyLabel:Copy viewer link of ${title}:title:`;
  }

  protected editLabel(title: string): string {
    return $localize`:@@events.editLabel:Edit ${title}:title:`;
  }

  protected openLabel(title: string): string {
    return $localize`:@@events.openLabel:Open the control room of ${title}:title:`;
  }
}
