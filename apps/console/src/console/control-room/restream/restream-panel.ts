import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import {
  RESTREAM_LIMITS,
  restreamUrlProblem,
  streamKeyProblem,
  type RestreamDestinationView,
} from '@pressroom/protocol';
import { Icon } from '../../../shared/icon';
import { restreamStatusText, RestreamStore } from './restream.store';

const BADGES: Record<RestreamDestinationView['status']['state'], string> = {
  idle: '',
  connecting: 'pr-badge-warning',
  live: 'pr-badge-live',
  failed: 'pr-badge-danger',
  retrying: 'pr-badge-danger',
};

const STATE_LABELS = (): Record<RestreamDestinationView['status']['state'], string> => ({
  idle: $localize`:@@restream.state.idle:Not live`,
  connecting: $localize`:@@restream.state.connecting:Connecting`,
  live: $localize`:@@restream.state.live:Live`,
  failed: $localize`:@@restream.state.failed:Failed`,
  retrying: $localize`:@@restream.state.retrying:Retrying`,
});

/**
 * Restream: the platforms (YouTube, PeerTube, Facebook, any RTMP/RTMPS ingest) the broadcast is pushed to
 * while the event is live, each with its state (connecting, live, failed and why, retrying and when).
 * Added and removed before the event goes live; a saved stream key shows only its last 4 characters.
 */
@Component({
  selector: 'pr-restream-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Icon],
  template: `
    <section class="pr-panel panel" aria-labelledby="restream-title">
      <h2 id="restream-title" class="pr-panel-title">
        <pr-icon name="link" /><ng-container i18n="@@restream.title">Restream</ng-container>&ngsp;
        <span class="pr-badge" data-testid="restream-count"
          >{{ store.destinations().length }} / {{ maxDestinations }}</span
        >
      </h2>
      @if (store.loaded() && store.destinations().length === 0) {
        <p class="pr-empty" i18n="@@restream.empty">
          No platform yet. Add YouTube, PeerTube, Facebook or any RTMP ingest.
        </p>
      }
      <ul class="entries">
        @for (destination of store.destinations(); track destination.id) {
          <li
            class="entry"
            [attr.aria-label]="restreamTo(destination.name)"
            [attr.data-state]="destination.status.state"
          >
            <div class="what">
              <strong>{{ destination.name }}</strong>
              <span class="pr-badge state {{ badge(destination) }}">{{ stateLabel(destination) }}</span>
              <div class="pr-meta where" i18n="@@restream.where">
                {{ destination.url }} · key {{ destination.streamKeyHint }}
              </div>
              <div class="pr-meta status" role="status">{{ statusText(destination) }}</div>
            </div>
            @if (store.changeable()) {
              <button
                type="button"
                class="pr-btn pr-btn-sm pr-btn-danger"
                [attr.aria-label]="removeLabel(destination.name)"
                [disabled]="store.removing().has(destination.id)"
                (click)="store.remove(destination.id)"
              >
                <pr-icon name="trash" /><ng-container i18n="@@restream.remove">Remove</ng-container>
              </button>
            }
          </li>
        }
      </ul>

      @if (store.changeable()) {
        @if (!store.full()) {
          <form
            class="add"
            (submit)="add($event)"
            aria-label="Add a restream destination"
            i18n-aria-label="@@restream.addLabel"
          >
            <label class="pr-field">
              <span class="pr-label" i18n="@@restream.platform">Platform</span>
              <input
                class="pr-input"
                name="name"
                placeholder="YouTube"
                [maxLength]="limits.name"
                [value]="name()"
                (input)="name.set(valueOf($event))"
              />
            </label>
            <label class="pr-field">
              <span class="pr-label" i18n="@@restream.url">Server URL</span>
              <input
                class="pr-input"
                name="url"
                placeholder="rtmp://a.rtmp.youtube.com/live2"
                spellcheck="false"
                [maxLength]="limits.url"
                [value]="url()"
                [attr.aria-invalid]="urlProblem() ? 'true' : null"
                (input)="url.set(valueOf($event))"
              />
              @if (urlProblem(); as problem) {
                <span class="pr-field-error">{{ problem }}</span>
              }
            </label>
            <label class="pr-field">
              <span class="pr-label" i18n="@@restream.key">Stream key</span>
              <input
                class="pr-input"
                name="streamKey"
                type="password"
                autocomplete="off"
                spellcheck="false"
                [maxLength]="limits.streamKey"
                [value]="streamKey()"
                [attr.aria-invalid]="keyProblem() ? 'true' : null"
                (input)="streamKey.set(valueOf($event))"
              />
              @if (keyProblem(); as problem) {
                <span class="pr-field-error">{{ problem }}</span>
              }
              <span class="pr-hint" i18n="@@restream.keyHint">Shown only as its last 4 characters once added.</span>
            </label>
            <button type="submit" class="pr-btn pr-btn-sm pr-btn-primary" [disabled]="!ready() || store.adding()">
              <pr-icon name="plus" />
              @if (store.adding()) {
                <ng-container i18n="@@restream.adding">Adding…</ng-container>
              } @else {
                <ng-container i18n="@@restream.add">Add destination</ng-container>
              }
            </button>
          </form>
        }
      } @else if (store.destinations().length > 0) {
        <p class="pr-hint" i18n="@@restream.locked">Destinations can change only before the event goes live.</p>
      }
    </section>
  `,
  styles: `
    .panel {
      display: flex;
      flex-direction: column;
      gap: 0.5rem;
      padding: 0.75rem;
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
      padding: 0.5rem 0.6rem;
      border: 1px solid var(--pr-border);
      border-radius: var(--pr-radius);
    }
    .entry[data-state='live'] {
      border-color: var(--pr-success);
    }
    .entry[data-state='failed'],
    .entry[data-state='retrying'] {
      border-color: var(--pr-danger);
    }
    .what {
      flex: 1;
      min-width: 0;
      overflow-wrap: anywhere;
    }
    .state {
      margin-left: 0.4rem;
    }
    .add {
      display: flex;
      flex-direction: column;
      gap: 0.5rem;
      padding-top: 0.5rem;
      border-top: 1px solid var(--pr-border);
    }
    .add button {
      align-self: flex-start;
    }
  `,
})
export class RestreamPanel {
  protected readonly store = inject(RestreamStore);
  protected readonly limits = RESTREAM_LIMITS;
  protected readonly maxDestinations = RESTREAM_LIMITS.destinationsPerEvent;
  protected readonly name = signal('');
  protected readonly url = signal('');
  protected readonly streamKey = signal('');
  /** The rules the server applies (libs/protocol), shown once something is typed. */
  protected readonly urlProblem = computed(() => (this.url() ? restreamUrlProblem(this.url().trim()) : null));
  protected readonly keyProblem = computed(() => (this.streamKey() ? streamKeyProblem(this.streamKey()) : null));
  protected readonly ready = computed(
    () =>
      this.name().trim().length > 0 &&
      this.url().trim().length > 0 &&
      this.streamKey().length > 0 &&
      !this.urlProblem() &&
      !this.keyProblem(),
  );

  protected valueOf(event: Event): string {
    return (event.target as HTMLInputElement).value;
  }

  protected badge(destination: RestreamDestinationView): string {
    return BADGES[destination.status.state];
  }

  protected stateLabel(destination: RestreamDestinationView): string {
    return STATE_LABELS()[destination.status.state];
  }

  protected restreamTo(name: string): string {
    return $localize`:@@restream.to:Restream to ${name}:name:`;
  }

  protected removeLabel(name: string): string {
    return $localize`:@@restream.removeLabel:Remove ${name}:name:`;
  }

  protected statusText(destination: RestreamDestinationView): string {
    return restreamStatusText(destination.status, this.store.now());
  }

  protected async add(submitted: Event): Promise<void> {
    submitted.preventDefault();
    if (!this.ready()) return;
    const added = await this.store.add({
      name: this.name().trim(),
      url: this.url().trim(),
      streamKey: this.streamKey(),
    });
    // The key leaves the page once the server has it.
    if (added) for (const field of [this.name, this.url, this.streamKey]) field.set('');
  }
}
