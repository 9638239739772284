import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { EventStatus } from '@pressroom/protocol';

const BADGES = (): Record<EventStatus, { label: string; className: string }> => ({
  scheduled: { label: $localize`:@@eventStatus.scheduled:Scheduled`, className: 'pr-badge-accent' },
  live: { label: $localize`:@@eventStatus.live:Live`, className: 'pr-badge-live' },
  ended: { label: $localize`:@@eventStatus.ended:Ended`, className: '' },
  purged: { label: $localize`:@@eventStatus.purged:Purged`, className: '' },
});

/** An event's status as a small coloured label. */
@Component({
  selector: 'pr-event-status-badge',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<span class="pr-badge" [class]="badge().className">
    @if (status() === 'live') {
      <span class="dot" aria-hidden="true"></span>
    }
    {{ badge().label }}
  </span>`,
  styles: `
    .dot {
      width: 0.45rem;
      height: 0.45rem;
      border-radius: 50%;
      background: currentColor;
    }
  `,
})
export class EventStatusBadge {
  readonly status = input.required<EventStatus>();
  protected readonly badge = computed(() => BADGES()[this.status()]);
}
