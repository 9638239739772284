import {
  afterEveryRender,
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  input,
  output,
  viewChild,
} from '@angular/core';
import { Icon, type IconName } from '../../shared/icon';
import type { DeviceOption } from './media-devices';

let nextId = 0;

/**
 * A labelled list of devices of one kind (disabled, with `emptyLabel`, when there is none); emits the
 * pick. It always shows `selected`, the device in use or being opened: after a pick that did not work,
 * it goes back to the one still in use, and `problem` says why below it.
 */
@Component({
  selector: 'pr-device-select',
  imports: [Icon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    :host {
      display: grid;
      gap: 0.375rem;
    }
    label {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      font-weight: 600;
      font-size: 0.9375rem;
    }
    .select {
      position: relative;
    }
    select {
      appearance: none;
      inline-size: 100%;
      min-block-size: 2.75rem;
      padding: 0.5rem 2.5rem 0.5rem 0.875rem;
      border-radius: 0.5rem;
      border: 1px solid var(--pr-border);
      background: var(--pr-surface-raised);
      text-overflow: ellipsis;
    }
    /* A long device name wraps onto a second line rather than being cut (Chromium; elsewhere: "…"). */
    @supports (appearance: base-select) {
      select {
        appearance: base-select;
        white-space: normal;
      }
      select::picker-icon {
        display: none;
      }
    }
    select:disabled {
      color: var(--pr-text-muted);
    }
    .problem {
      display: flex;
      gap: 0.375rem;
      margin: 0;
      color: var(--pr-warning);
      font-size: 0.875rem;
    }
    .problem pr-icon {
      margin-block-start: 0.0625rem;
    }
    .chevron {
      position: absolute;
      inset-inline-end: 0.875rem;
      inset-block-start: 50%;
      inline-size: 0.5rem;
      block-size: 0.5rem;
      border-inline-end: 2px solid var(--pr-text-muted);
      border-block-end: 2px solid var(--pr-text-muted);
      transform: translateY(-70%) rotate(45deg);
      pointer-events: none;
    }
  `,
  template: `
    <label [for]="id"><pr-icon [name]="icon()" />{{ label() }}</label>
    <div class="select">
      <select
        #list
        [id]="id"
        [disabled]="options().length === 0"
        [attr.aria-describedby]="problem() ? id + '-problem' : null"
        (change)="choose($event)"
      >
        @for (option of options(); track option.deviceId) {
          <option [value]="option.deviceId">{{ option.label }}</option>
        } @empty {
          <option value="">{{ emptyLabel() }}</option>
        }
      </select>
      <span class="chevron" aria-hidden="true"></span>
    </div>
    <div role="alert">
      @if (problem(); as problem) {
        <p class="problem" [id]="id + '-problem'"><pr-icon name="alert" />{{ problem }}</p>
      }
    </div>
  `,
})
export class DeviceSelect {
  readonly label = input.required<string>();
  readonly icon = input.required<IconName>();
  readonly options = input.required<readonly DeviceOption[]>();
  readonly selected = input<string | null>(null);
  readonly emptyLabel = input($localize`:@@devices.noneFound:None found`);
  readonly problem = input<string | null>(null);
  readonly chosen = output<string>();

  protected readonly id = `device-select-${nextId++}`;
  private readonly list = viewChild.required<ElementRef<HTMLSelectElement>>('list');

  constructor() {
    // Set after each render rather than bound: a failed pick leaves `selected` as it was, so no
    // binding would change, yet the list must go back to it.
    afterEveryRender(() => {
      const list = this.list().nativeElement;
      const selected = this.selected();
      if (selected !== null && list.value !== selected && this.options().some((o) => o.deviceId === selected)) {
        list.value = selected;
      }
    });
  }

  protected choose(event: Event): void {
    this.chosen.emit((event.target as HTMLSelectElement).value);
  }
}
