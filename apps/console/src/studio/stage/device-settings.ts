import {
  afterRenderEffect,
  ChangeDetectionStrategy,
  Component,
  DOCUMENT,
  ElementRef,
  inject,
  input,
  output,
  viewChild,
} from '@angular/core';
import { DeviceFields } from '../device-check/device-fields';
import { Icon } from '../../shared/icon';

/**
 * On stage, the camera, microphone and speakers to switch to without leaving, in a modal dialog: it
 * closes with Escape, “Done”, the close button or a click beside it, and gives the focus back to
 * whatever opened it.
 */
@Component({
  selector: 'pr-device-settings',
  imports: [DeviceFields, Icon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    dialog {
      inline-size: min(32rem, calc(100vw - 1rem));
      max-block-size: calc(100dvh - 1rem);
      padding: 0;
      border: 1px solid var(--pr-border);
      border-radius: var(--pr-radius-large);
      background: var(--pr-bg);
      color: var(--pr-text);
      box-shadow: 0 1rem 3rem rgb(0 0 0 / 0.5);
    }
    dialog::backdrop {
      background: rgb(0 0 0 / 0.55);
    }
    .panel {
      display: grid;
      gap: 0.875rem;
      padding: 1rem;
    }
    .head {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 1rem;
    }
    h2 {
      margin: 0;
      font-size: 1.125rem;
      font-weight: 650;
    }
    .close {
      --pr-icon-size: 1.25rem;
      display: grid;
      place-items: center;
      inline-size: 2.75rem;
      block-size: 2.75rem;
      flex: none;
      border: 1px solid var(--pr-border);
      border-radius: 50%;
      background: var(--pr-surface-raised);
      cursor: pointer;
    }
    .close:hover {
      background: var(--pr-surface-high);
    }
    .hint {
      margin: 0;
      color: var(--pr-text-muted);
      font-size: 0.875rem;
    }
    .problem {
      display: flex;
      gap: 0.5rem;
      margin: 0;
      padding: 0.625rem 0.75rem;
      border-radius: 0.5rem;
      border: 1px solid color-mix(in srgb, var(--pr-warning) 45%, transparent);
      background: color-mix(in srgb, var(--pr-warning) 10%, var(--pr-surface));
    }
    .problem pr-icon {
      color: var(--pr-warning);
    }
    .done {
      justify-self: end;
      min-inline-size: 7rem;
    }
  `,
  template: `
    <dialog #dialog aria-labelledby="device-settings-heading" (close)="dismissed()" (click)="closeBeside($event)">
      <div class="panel">
        <div class="head">
          <h2 id="device-settings-heading" i18n="@@settings.heading">Audio and video settings</h2>
          <button
            class="close"
            type="button"
            aria-label="Close"
            i18n-aria-label="@@settings.close"
            (click)="dialog.close()"
          >
            <pr-icon name="x" />
          </button>
        </div>
        <p class="hint" i18n="@@settings.atOnce">
          What you choose is used at once: the others keep seeing and hearing you.
        </p>
        @if (microphoneMuted()) {
          <p class="hint" i18n="@@settings.muted">
            Your microphone is muted: nobody hears you, but the meter shows what it picks up.
          </p>
        }
        <div role="alert">
          @if (problem(); as problem) {
            <p class="problem"><pr-icon name="alert" />{{ problem }}</p>
          }
        </div>
        <pr-device-fields />
        <button class="btn btn-primary done" type="button" (click)="dialog.close()" i18n="@@settings.done">Done</button>
      </div>
    </dialog>
  `,
})
export class DeviceSettings {
  readonly open = input.required<boolean>();
  readonly microphoneMuted = input(false);
  /** Something the speaker tried on stage that did not work. */
  readonly problem = input<string | null>(null);
  /** The speaker closed the dialog. */
  readonly closed = output();

  readonly #document = inject(DOCUMENT);
  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dialog');
  #returnFocus: HTMLElement | null = null;

  constructor() {
    afterRenderEffect(() => {
      const dialog = this.dialog().nativeElement;
      if (this.open() && !dialog.open) {
        this.#returnFocus = this.#document.activeElement as HTMLElement | null;
        dialog.showModal();
        dialog.querySelector<HTMLElement>('select:enabled')?.focus();
      } else if (!this.open() && dialog.open) {
        dialog.close();
      }
    });
  }

  /** However the dialog closed (Escape included, which the browser handles). */
  protected dismissed(): void {
    this.#returnFocus?.focus();
    this.#returnFocus = null;
    this.closed.emit();
  }

  /** A click on the backdrop reaches the dialog itself (as does one on its scroll bar, which stays open). */
  protected closeBeside(event: MouseEvent): void {
    const dialog = this.dialog().nativeElement;
    if (event.target !== dialog) return;
    const { left, right, top, bottom } = dialog.getBoundingClientRect();
    const { clientX: x, clientY: y } = event;
    if (x < left || x > right || y < top || y > bottom) dialog.close();
  }
}
