import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { Icon } from '../../shared/icon';
import { DeviceCheckStore } from './device-check.store';
import { shortProblem, switchProblem } from './device-problems';
import { DeviceSelect } from './device-select';
import { LevelMeter } from './level-meter';
import type { LocalSource } from './media-devices';

/**
 * The camera, microphone (with its level) and speakers (with a test sound) to choose from. A part of
 * the pages that show it (the device check, the settings on stage), it works on their device store
 * directly rather than through a dozen inputs repeated in each.
 */
@Component({
  selector: 'pr-device-fields',
  imports: [DeviceSelect, Icon, LevelMeter],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    :host {
      display: block;
      border-radius: var(--pr-radius-large);
      background: var(--pr-surface);
      border: 1px solid var(--pr-border);
    }
    .field {
      display: grid;
      gap: 0.5rem;
      padding: 0.875rem 1rem;
    }
    .field + .field {
      border-block-start: 1px solid var(--pr-border);
    }
    .label {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      margin: 0;
      font-weight: 600;
      font-size: 0.9375rem;
    }
    .hint {
      display: flex;
      align-items: center;
      gap: 0.375rem;
      margin: 0;
      color: var(--pr-text-muted);
      font-size: 0.875rem;
    }
    .hint:empty {
      display: none;
    }
    .hint.ok {
      color: var(--pr-success);
    }
    .test-sound {
      justify-self: start;
      min-block-size: 2.5rem;
    }
  `,
  template: `
    @if (store.sources().includes('camera')) {
      <div class="field">
        <pr-device-select
          label="Camera"
          i18n-label="@@devices.camera"
          icon="camera"
          [emptyLabel]="unavailable('camera')"
          [options]="store.camera() ? store.devices().cameras : []"
          [selected]="store.selected().camera"
          [problem]="failure().camera"
          (chosen)="store.choose('camera', $event)"
        />
      </div>
    }

    @if (store.sources().includes('microphone')) {
      <div class="field">
        <pr-device-select
          label="Microphone"
          i18n-label="@@devices.microphone"
          icon="mic"
          [emptyLabel]="unavailable('microphone')"
          [options]="store.microphone() ? store.devices().microphones : []"
          [selected]="store.selected().microphone"
          [problem]="failure().microphone"
          (chosen)="store.choose('microphone', $event)"
        />
        <pr-level-meter [level]="store.level()" label="Microphone level" i18n-label="@@devices.level" />
        @if (store.microphone()) {
          <p class="hint" [class.ok]="store.heard()">
            @if (store.heard()) {
              <pr-icon name="check" /><ng-container i18n="@@devices.heard">We can hear you.</ng-container>
            } @else {
              <ng-container i18n="@@devices.sayWords">Say a few words: the bar should move.</ng-container>
            }
          </p>
        }
      </div>
    }

    <div class="field">
      @if (store.canChooseSpeaker) {
        <pr-device-select
          label="Speakers"
          i18n-label="@@devices.speakers"
          icon="speaker"
          emptyLabel="Your computer’s speakers"
          i18n-emptyLabel="@@devices.defaultSpeakers"
          [options]="store.devices().speakers"
          [selected]="store.selected().speaker"
          (chosen)="store.chooseSpeaker($event)"
        />
      } @else {
        <p class="label"><pr-icon name="speaker" /><ng-container i18n="@@devices.speakers">Speakers</ng-container></p>
        <p class="hint" i18n="@@devices.currentOutput">Sound plays on your computer’s current output.</p>
      }
      <button
        class="btn test-sound"
        type="button"
        [disabled]="store.testSound() === 'playing'"
        (click)="store.playTestSound()"
      >
        <pr-icon name="speaker" /><ng-container i18n="@@devices.testSound">Play test sound</ng-container>
      </button>
      <p class="hint" aria-live="polite">
        @switch (store.testSound()) {
          @case ('playing') {
            <ng-container i18n="@@devices.playing">Playing a chime…</ng-container>
          }
          @case ('played') {
            <ng-container i18n="@@devices.played"
              >Did you hear a chime? If not, choose other speakers or turn the volume up.</ng-container
            >
          }
          @case ('failed') {
            <ng-container i18n="@@devices.testFailed"
              >The test sound could not play on these speakers. Choose other ones.</ng-container
            >
          }
        }
      </p>
    </div>
  `,
})
export class DeviceFields {
  protected readonly store = inject(DeviceCheckStore);
  /** Why the camera or microphone just chosen is not used, below its list. */
  protected readonly failure = computed<Record<LocalSource, string | null>>(() => {
    const failure = this.store.switchFailure();
    const message = failure ? switchProblem(failure) : null;
    return {
      camera: failure?.source === 'camera' ? message : null,
      microphone: failure?.source === 'microphone' ? message : null,
    };
  });

  protected unavailable(source: LocalSource): string {
    return shortProblem(source, this.store.problems()[source]);
  }
}
