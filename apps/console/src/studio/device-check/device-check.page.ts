import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import { uiLanguage } from '../../shared/i18n/ui-language';
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
            <p>
              @if (role() === 'captioner') {
                <ng-container i18n="@@deviceCheck.captionerNoDevices"
                  >You caption: no camera, no microphone</ng-container
                >
              } @else {
                <ng-container i18n="@@deviceCheck.heardNotSeen">You are heard, not seen</ng-container>
              }
            </p>
          </div>
        } @else if (store.camera(); as camera) {
          <video
            [prMediaTrack]="camera"
            [muted]="true"
            autoplay
            playsinline
            aria-label="Your camera preview"
            i18n-aria-label="@@deviceCheck.previewLabel"
          ></video>
          <p class="preview-note" i18n="@@deviceCheck.previewNote">Only you see this preview</p>
        } @else {
          <div class="no-camera">
            <pr-icon [name]="store.status() === 'starting' ? 'camera' : 'camera-off'" />
            <p>
              @if (store.status() === 'starting') {
                <ng-container i18n="@@deviceCheck.startingCamera">Starting your camera…</ng-container>
              } @else {
                {{ unavailable('camera') }}
              }
            </p>
          </div>
        }
      </div>

      <div class="setup">
        <h1 tabindex="-1">{{ copy().heading }}</h1>
        <p class="lead">
          @if (eventTitle(); as title) {
            @switch (role()) {
              @case ('captioner') {
                @if (languageLabel(); as language) {
                  <ng-container i18n="@@deviceCheck.invitedCaptionIn"
                    >You are invited to caption in {{ language }} at <strong>{{ title }}</strong>.</ng-container
                  >
                } @else {
                  <ng-container i18n="@@deviceCheck.invitedCaption"
                    >You are invited to caption at <strong>{{ title }}</strong>.</ng-container
                  >
                }
              }
              @case ('interpreter') {
                @if (languageLabel(); as language) {
                  <ng-container i18n="@@deviceCheck.invitedInterpretInto"
                    >You are invited to interpret into {{ language }} at <strong>{{ title }}</strong>.</ng-container
                  >
                } @else {
                  <ng-container i18n="@@deviceCheck.invitedInterpret"
                    >You are invited to interpret at <strong>{{ title }}</strong>.</ng-container
                  >
                }
              }
              @case ('signer') {
                <ng-container i18n="@@deviceCheck.invitedSign"
                  >You are invited to interpret into sign language at <strong>{{ title }}</strong>.</ng-container
                >
              }
              @default {
                <ng-container i18n="@@deviceCheck.invitedSpeak"
                  >You are invited to speak at <strong>{{ title }}</strong>.</ng-container
                >
              }
            }
          }
          {{ copy().check }}
          @if (privacyHref(); as href) {
            <a [href]="href" target="_blank" rel="noreferrer" i18n="@@deviceCheck.privacy">How your data is used</a>
          }
        </p>

        @if (store.status() === 'starting') {
          <p class="hint">{{ copy().allow }}</p>
        }
        @if (problems().length > 0) {
          <div class="problems" role="alert">
            @for (problem of problems(); track problem) {
              <p><pr-icon name="alert" />{{ problem }}</p>
            }
            <button class="btn" type="button" (click)="store.retry()">
              <pr-icon name="refresh" /><ng-container i18n="@@common.tryAgain">Try again</ng-container>
            </button>
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
            @if (joining()) {
              <ng-container i18n="@@deviceCheck.joining">Joining the studio…</ng-container>
            } @else {
              <ng-container i18n="@@deviceCheck.join">Join the studio</ng-container>
            }
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
  /** The invite's role: a speaker's check, or a crew member's (captioner, interpreter, signer). */
  readonly role = input<Role>('speaker');
  /** A captioner's or interpreter's language (BCP 47). */
  readonly language = input<string | null>(null);
  readonly join = output();

  protected readonly store = inject(DeviceCheckStore);
  protected readonly problems = computed(() => describeProblems(this.store.problems()));
  protected readonly languageLabel = computed(() => (this.language() ? languageName(this.language()!) : null));
  protected readonly copy = computed(() => {
    switch (this.role()) {
      case 'captioner':
        return {
          heading: $localize`:@@deviceCheck.captioner.heading:Get ready to caption`,
          check: $localize`:@@deviceCheck.captioner.check:Check your speakers or headphones: you will hear the studio as it happens, with no delay.`,
          allow: $localize`:@@deviceCheck.captioner.allow:If your browser asks to use your speakers, choose “Allow”.`,
        };
      case 'interpreter':
        return {
          heading: $localize`:@@deviceCheck.interpreter.heading:Get ready to interpret`,
          check: $localize`:@@deviceCheck.interpreter.check:Check your microphone and headphones. Wear headphones: the floor plays in them, and your voice goes only to the audience that chose your language.`,
          allow: $localize`:@@deviceCheck.interpreter.allow:If your browser asks to use your microphone, choose “Allow”.`,
        };
      case 'signer':
        return {
          heading: $localize`:@@deviceCheck.signer.heading:Get ready to sign`,
          check: $localize`:@@deviceCheck.signer.check:Check your camera and speakers. Your camera has its own place in the broadcast; your microphone is not used.`,
          allow: $localize`:@@deviceCheck.signer.allow:If your browser asks to use your camera, choose “Allow”.`,
        };
      default:
        return {
          heading: $localize`:@@deviceCheck.speaker.heading:Get ready to speak`,
          check: $localize`:@@deviceCheck.speaker.check:Check your camera, microphone and speakers. Nobody sees or hears you until you join.`,
          allow: $localize`:@@deviceCheck.speaker.allow:If your browser asks to use your camera and microphone, choose “Allow”.`,
        };
    }
  });
  protected readonly joinHint = computed(() => {
    const [microphone, camera] = [!!this.store.microphone(), !!this.store.camera()];
    const ready = this.store.status() === 'ready';
    const microphoneOnly = $localize`:@@deviceCheck.hint.microphoneOnly:You join with your microphone only.`;
    if (this.role() === 'captioner')
      return $localize`:@@deviceCheck.hint.captioner:You join to listen and type: nobody sees or hears you.`;
    if (this.role() === 'interpreter') {
      return microphone
        ? microphoneOnly
        : ready
          ? $localize`:@@deviceCheck.hint.needMicrophone:To join, allow or connect a microphone.`
          : '';
    }
    if (this.role() === 'signer') {
      return camera
        ? $localize`:@@deviceCheck.hint.cameraOnlySigner:You join with your camera only.`
        : ready
          ? $localize`:@@deviceCheck.hint.needCamera:To join, allow or connect a camera.`
          : '';
    }
    if (microphone && camera)
      return $localize`:@@deviceCheck.hint.both:You join with your microphone and camera on. You can mute or turn off the camera at any time.`;
    if (microphone) return microphoneOnly;
    if (camera) return $localize`:@@deviceCheck.hint.cameraOnly:You join with your camera only: nobody will hear you.`;
    return ready ? $localize`:@@deviceCheck.hint.needDevice:To join, allow or connect a microphone or camera.` : '';
  });

  protected unavailable(source: LocalSource): string {
    return shortProblem(source, this.store.problems()[source]);
  }
}

/** "French" for `fr`, in the page's language; the tag itself when the browser does not know it. */
export function languageName(tag: string): string {
  try {
    return new Intl.DisplayNames([uiLanguage()], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}
