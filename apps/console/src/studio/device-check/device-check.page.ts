import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import { Icon } from '../../shared/icon';
import { MediaTrack } from '../ui/media-track';
import { describeProblems, shortProblem } from './device-problems';
import { DeviceCheckStore } from './device-check.store';
import { DeviceFields } from './device-fields';
import type { LocalSource } from './media-devices';

/** Before joining: the speaker sees and hears themselves, picks devices, tests the speakers, and joins. */
@Component({
  selector: 'pr-device-check-page',
  imports: [DeviceFields, Icon, MediaTrack],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './device-check.page.css',
  template: `
    <div class="check">
      <div class="preview">
        @if (store.camera(); as camera) {
          <video [prMediaTrack]="camera" [muted]="true" autoplay playsinline aria-label="Your camera preview"></video>
          <p class="preview-note">Only you see this preview</p>
        } @else {
          <div class="no-camera">
            <pr-icon [name]="store.status() === 'starting' ? 'camera' : 'camera-off'" />
            <p>{{ store.status() === 'starting' ? 'Starting your camera…' : unavailable('camera') }}</p>
          </div>
        }
      </div>

      <div class="setup">
        <h1 tabindex="-1">Get ready to speak</h1>
        <p class="lead">
          @if (eventTitle(); as title) {
            You are invited to speak at <strong>{{ title }}</strong>.
          }
          Check your camera, microphone and speakers. Nobody sees or hears you until you join.
          @if (privacyHref(); as href) {
            <a [href]="href" target="_blank" rel="noreferrer">How your data is used</a>
          }
        </p>

        @if (store.status() === 'starting') {
          <p class="hint">If your browser asks to use your camera and microphone, choose “Allow”.</p>
        }
        @if (problems().length > 0) {
          <div class="problems" role="alert">
            @for (problem of problems(); track problem) {
              <p><pr-icon name="alert" />{{ problem }}</p>
            }
            <button class="btn" type="button" (click)="store.retry()"><pr-icon name="refresh" />Try again</button>
          </div>
        }

        <pr-device-fields />

        <div class="join">
          @if (joinProblem(); as problem) {
            <p class="join-problem" role="alert"><pr-icon name="alert" />{{ problem }}</p>
          }
          <button
            class="btn btn-primary btn-large"
            type="button"
            [disabled]="!store.canJoin() || joining()"
            (click)="join.emit()"
          >
            {{ joining() ? 'Joining the studio…' : 'Join the studio' }}
          </button>
          <p class="hint">{{ joinHint() }}</p>
        </div>
      </div>
    </div>
  `,
})
export class DeviceCheckPage {
  readonly eventTitle = input<string | null>(null);
  readonly joining = input(false);
  readonly joinProblem = input<string | null>(null);
  /** The event's privacy notice. */
  readonly privacyHref = input<string | null>(null);
  readonly join = output();

  protected readonly store = inject(DeviceCheckStore);
  protected readonly problems = computed(() => describeProblems(this.store.problems()));
  protected readonly joinHint = computed(() => {
    const [microphone, camera] = [!!this.store.microphone(), !!this.store.camera()];
    if (microphone && camera)
      return 'You join with your microphone and camera on. You can mute or turn off the camera at any time.';
    if (microphone) return 'You join with your microphone only.';
    if (camera) return 'You join with your camera only: nobody will hear you.';
    return this.store.status() === 'ready' ? 'To join, allow or connect a microphone or camera.' : '';
  });

  protected unavailable(source: LocalSource): string {
    return shortProblem(source, this.store.problems()[source]);
  }
}
