import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import type { Role } from '@pressroom/protocol';
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
        @if (!store.sources().includes('camera')) {
          <div class="no-camera">
            <pr-icon [name]="role() === 'captioner' ? 'message' : 'mic'" />
            <p>{{ role() === 'captioner' ? 'You caption: no camera, no microphone' : 'You are heard, not seen' }}</p>
          </div>
        } @else if (store.camera(); as camera) {
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
        <h1 tabindex="-1">{{ copy().heading }}</h1>
        <p class="lead">
          @if (eventTitle(); as title) {
            You are invited {{ copy().job }} at <strong>{{ title }}</strong>.
          }
          {{ copy().check }}
        </p>

        @if (store.status() === 'starting') {
          <p class="hint">If your browser asks to use your {{ copy().devices }}, choose “Allow”.</p>
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
  /** The invite's role: a speaker's check, or a crew member's (captioner, interpreter, signer). */
  readonly role = input<Role>('speaker');
  /** A captioner's or interpreter's language (BCP 47). */
  readonly language = input<string | null>(null);
  readonly join = output();

  protected readonly store = inject(DeviceCheckStore);
  protected readonly problems = computed(() => describeProblems(this.store.problems()));
  protected readonly copy = computed(() => {
    const language = this.language() ? languageName(this.language()!) : null;
    switch (this.role()) {
      case 'captioner':
        return {
          heading: 'Get ready to caption',
          job: `to caption${language ? ` in ${language}` : ''}`,
          check: 'Check your speakers or headphones: you will hear the studio as it happens, with no delay.',
          devices: 'speakers',
        };
      case 'interpreter':
        return {
          heading: 'Get ready to interpret',
          job: `to interpret${language ? ` into ${language}` : ''}`,
          check:
            'Check your microphone and headphones. Wear headphones: the floor plays in them, and your voice goes only to the audience that chose your language.',
          devices: 'microphone',
        };
      case 'signer':
        return {
          heading: 'Get ready to sign',
          job: 'to interpret into sign language',
          check:
            'Check your camera and speakers. Your camera has its own place in the broadcast; your microphone is not used.',
          devices: 'camera',
        };
      default:
        return {
          heading: 'Get ready to speak',
          job: 'to speak',
          check: 'Check your camera, microphone and speakers. Nobody sees or hears you until you join.',
          devices: 'camera and microphone',
        };
    }
  });
  protected readonly joinHint = computed(() => {
    const [microphone, camera] = [!!this.store.microphone(), !!this.store.camera()];
    if (this.role() === 'captioner') return 'You join to listen and type: nobody sees or hears you.';
    if (this.role() === 'interpreter') {
      return microphone
        ? 'You join with your microphone only.'
        : this.store.status() === 'ready'
          ? 'To join, allow or connect a microphone.'
          : '';
    }
    if (this.role() === 'signer') {
      return camera
        ? 'You join with your camera only.'
        : this.store.status() === 'ready'
          ? 'To join, allow or connect a camera.'
          : '';
    }
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

/** "French" for `fr`, in English like the rest of the page; the tag itself when the browser does not know it. */
export function languageName(tag: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}
