import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { Icon } from '../../shared/icon';

/**
 * The speaker's buttons: microphone, camera, screen, device settings, leave. Each button's visible
 * text is its name, or part of it.
 */
@Component({
  selector: 'pr-stage-controls',
  imports: [Icon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    :host {
      display: flex;
      justify-content: center;
      flex-wrap: wrap;
      gap: 0.5rem;
      padding: 0.75rem;
    }
    button {
      --pr-icon-size: 1.375rem;
      display: grid;
      justify-items: center;
      align-content: center;
      gap: 0.25rem;
      inline-size: 5.5rem;
      min-block-size: 4.25rem;
      padding: 0.5rem 0.25rem;
      border: 1px solid var(--pr-border);
      border-radius: var(--pr-radius-large);
      background: var(--pr-surface-raised);
      font-size: 0.75rem;
      font-weight: 500;
      line-height: 1.2;
      text-align: center;
      cursor: pointer;
      transition: background-color 120ms ease;
    }
    button:hover:not(:disabled) {
      background: var(--pr-surface-high);
    }
    button:disabled {
      cursor: not-allowed;
      color: var(--pr-text-muted);
    }
    button.off {
      background: #3a1f24;
      border-color: #6b2f36;
      color: #ffd6d7;
    }
    button.off:hover:not(:disabled) {
      background: #4a252b;
    }
    button.on {
      background: #1d3a5c;
      border-color: #2f5f94;
    }
    button.leave {
      background: var(--pr-solid-danger);
      border-color: var(--pr-solid-danger);
      color: var(--pr-on-solid);
      font-weight: 600;
    }
    button.leave:hover {
      background: var(--pr-solid-danger-hover);
    }
    @media (max-width: 420px) {
      button {
        inline-size: 4.5rem;
      }
    }
  `,
  template: `
    @if (hasMicrophone()) {
      <button type="button" [class.off]="microphoneMuted()" (click)="toggleMicrophone.emit()">
        <pr-icon [name]="microphoneMuted() ? 'mic-off' : 'mic'" />
        @if (microphoneMuted()) {
          <ng-container i18n="@@controls.unmute">Unmute microphone</ng-container>
        } @else {
          <ng-container i18n="@@controls.mute">Mute microphone</ng-container>
        }
      </button>
    } @else {
      <button type="button" disabled>
        <pr-icon name="mic-off" /><ng-container i18n="@@controls.noMicrophone">No microphone</ng-container>
      </button>
    }
    @if (hasCamera()) {
      <button type="button" [class.off]="cameraOff()" (click)="toggleCamera.emit()">
        <pr-icon [name]="cameraOff() ? 'camera-off' : 'camera'" />
        @if (cameraOff()) {
          <ng-container i18n="@@controls.cameraOn">Turn camera on</ng-container>
        } @else {
          <ng-container i18n="@@controls.cameraOff">Turn camera off</ng-container>
        }
      </button>
    } @else {
      <button type="button" disabled>
        <pr-icon name="camera-off" /><ng-container i18n="@@controls.noCamera">No camera</ng-container>
      </button>
    }
    @if (canShareScreen()) {
      <button type="button" [class.on]="sharingScreen()" (click)="toggleScreen.emit()">
        <pr-icon [name]="sharingScreen() ? 'screen-off' : 'screen'" />
        @if (sharingScreen()) {
          <ng-container i18n="@@controls.stopSharing">Stop sharing</ng-container>
        } @else {
          <ng-container i18n="@@controls.shareScreen">Share screen</ng-container>
        }
      </button>
    }
    <button
      type="button"
      aria-label="Audio and video settings"
      i18n-aria-label="@@controls.settingsLabel"
      aria-haspopup="dialog"
      (click)="openSettings.emit()"
    >
      <pr-icon name="settings" /><ng-container i18n="@@controls.settings">Settings</ng-container>
    </button>
    <button type="button" class="leave" (click)="leave.emit()">
      <pr-icon name="log-out" /><ng-container i18n="@@controls.leave">Leave</ng-container>
    </button>
  `,
})
export class StageControls {
  readonly microphoneMuted = input.required<boolean>();
  readonly hasMicrophone = input.required<boolean>();
  readonly cameraOff = input.required<boolean>();
  readonly hasCamera = input.required<boolean>();
  readonly sharingScreen = input.required<boolean>();
  readonly canShareScreen = input.required<boolean>();
  readonly toggleMicrophone = output();
  readonly toggleCamera = output();
  readonly toggleScreen = output();
  readonly openSettings = output();
  readonly leave = output();
}
