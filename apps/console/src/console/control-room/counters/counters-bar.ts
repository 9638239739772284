import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { Icon, type IconName } from '../../../shared/icon';

export interface Counter {
  label: string;
  value: number | null;
  icon: IconName;
  /** For tests that read one counter. */
  id: string;
}

/** The numbers to keep an eye on, side by side; unknown ones show a dash. */
@Component({
  selector: 'pr-counters-bar',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Icon],
  template: `
    <dl>
      @for (counter of counters(); track counter.id) {
        <div class="counter">
          <dt><pr-icon [name]="counter.icon" />{{ counter.label }}</dt>
          <dd [attr.data-testid]="'counter-' + counter.id">{{ counter.value ?? '–' }}</dd>
        </div>
      }
    </dl>
  `,
  styles: `
    dl {
      display: flex;
      flex-wrap: wrap;
      gap: 0.4rem;
      margin: 0;
    }
    .counter {
      display: flex;
      flex-direction: column-reverse;
      padding: 0.25rem 0.7rem;
      min-width: 5.5rem;
      border: 1px solid var(--pr-border);
      border-radius: var(--pr-radius-small);
      background: var(--pr-surface-sunken);
    }
    dt {
      display: flex;
      align-items: center;
      gap: 0.3rem;
      font-size: 0.75rem;
      color: var(--pr-text-muted);
      white-space: nowrap;
    }
    dd {
      margin: 0;
      font-size: 1.125rem;
      font-weight: 700;
      font-variant-numeric: tabular-nums;
    }
  `,
})
export class CountersBar {
  readonly counters = input.required<readonly Counter[]>();
}
