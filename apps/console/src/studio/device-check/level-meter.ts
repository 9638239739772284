import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

/** A horizontal microphone meter (0…1), segmented like a mixing desk's. */
@Component({
  selector: 'pr-level-meter',
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    .meter {
      position: relative;
      block-size: 0.625rem;
      border-radius: 999px;
      background: var(--pr-surface-high);
      overflow: hidden;
    }
    .fill {
      position: absolute;
      inset: 0;
      background: linear-gradient(90deg, var(--pr-success) 0 70%, var(--pr-warning) 85%, var(--pr-live) 100%);
      transition: clip-path 90ms linear;
    }
    .segments {
      position: absolute;
      inset: 0;
      background: repeating-linear-gradient(90deg, transparent 0 calc(5% - 2px), var(--pr-surface) calc(5% - 2px) 5%);
    }
  `,
  template: `
    <div
      class="meter"
      role="meter"
      [attr.aria-label]="label()"
      aria-valuemin="0"
      aria-valuemax="100"
      [attr.aria-valuenow]="percent()"
    >
      <div class="fill" [style.clip-path]="'inset(0 ' + (100 - percent()) + '% 0 0)'"></div>
      <div class="segments"></div>
    </div>
  `,
})
export class LevelMeter {
  readonly level = input.required<number>();
  readonly label = input.required<string>();

  protected readonly percent = computed(() => Math.round(this.level() * 100));
}
