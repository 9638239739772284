import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import type { EventStatus, Role } from '@pressroom/protocol';
import { languageName } from '../device-check/device-check.page';
import { QuestionsPanel } from '../questions/questions-panel';
import { QuestionsStore } from '../questions/questions.store';
import { Icon } from '../../shared/icon';
import { DeviceSettings } from './device-settings';
import { ScreenTile } from './screen-tile';
import { SpeakerTile } from './speaker-tile';
import { StageControls } from './stage-controls';
import { StageStore } from './stage.store';

/** In the studio: everyone's tiles, shared screens, the questions, the speaker's controls and device settings. */
@Component({
  selector: 'pr-stage-page',
  imports: [DeviceSettings, Icon, QuestionsPanel, ScreenTile, SpeakerTile, StageControls],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './stage.page.css',
  template: `
    <h1 class="visually-hidden" tabindex="-1" i18n="@@stage.heading">In the studio</h1>
    <div class="banners">
      <div role="status">
        @if (stage.connection() === 'recovering') {
          <p class="banner">
            <span class="spinner" aria-hidden="true"></span>
            <ng-container i18n="@@stage.reconnectingBanner"
              >Reconnecting to the studio… Your camera and microphone come back by themselves.</ng-container
            >
          </p>
        }
      </div>
      @if (stage.problem(); as problem) {
        <p role="alert" class="banner problem"><pr-icon name="alert" />{{ problem }}</p>
      }
    </div>
    <div class="body">
      <section class="speakers" aria-label="Speakers" i18n-aria-label="@@stage.speakers">
        @if (crewNote(); as note) {
          <p class="air crew-note">{{ note }}</p>
        }
        @switch (eventStatus()) {
          @case ('scheduled') {
            <p class="air" i18n="@@stage.notLive">
              Not live yet: the audience sees a “starting soon” screen until the moderators start the event.
            </p>
          }
          @case ('live') {
            <p class="air live">
              <span class="dot" aria-hidden="true"></span
              ><ng-container i18n="@@stage.live">Live: the audience sees and hears the speakers.</ng-container>
            </p>
          }
        }
        @if (stage.screens().length > 0) {
          <div class="screens">
            @for (screen of stage.screens(); track screen.peerId) {
              <pr-screen-tile [screen]="screen" />
            }
          </div>
        }
        <div class="grid" [class.solo]="stage.speakers().length === 1" [class.strip]="stage.screens().length > 0">
          @for (speaker of stage.speakers(); track speaker.peerId) {
            <pr-speaker-tile [speaker]="speaker" [ownName]="speakerName()" [outputId]="stage.outputId()" />
          }
        </div>
        @if (stage.speakers().length === 1) {
          <p class="alone">
            @if (role() === 'speaker') {
              <ng-container i18n="@@stage.alone"
                >You are the only speaker here so far. Others appear as they join.</ng-container
              >
            } @else {
              <ng-container i18n="@@stage.noSpeaker"
                >No speaker has joined yet. You will see and hear them as they join.</ng-container
              >
            }
          </p>
        }
      </section>
      <pr-questions-panel
        [onAir]="questions.onAir()"
        [upNext]="questions.upNext()"
        [answeredCount]="questions.answeredCount()"
      />
    </div>
    <pr-stage-controls
      class="controls"
      [microphoneMuted]="stage.microphoneMuted()"
      [hasMicrophone]="stage.hasMicrophone()"
      [cameraOff]="stage.cameraOff()"
      [hasCamera]="stage.hasCamera()"
      [sharingScreen]="stage.sharingScreen()"
      [canShareScreen]="stage.canShareScreen()"
      (toggleMicrophone)="stage.toggleMicrophone()"
      (toggleCamera)="stage.toggleCamera()"
      (toggleScreen)="stage.toggleScreen()"
      (openSettings)="settingsOpen.set(true)"
      (leave)="leave.emit()"
    />
    <pr-device-settings
      [open]="settingsOpen()"
      [microphoneMuted]="stage.microphoneMuted()"
      [problem]="stage.problem()"
      (closed)="settingsOpen.set(false)"
    />
  `,
})
export class StagePage {
  readonly eventStatus = input<EventStatus | null>(null);
  /** The name on the invite, as the others see it (known once the studio sent its first state). */
  readonly speakerName = input<string | null>(null);
  /** A speaker, or an interpreter or signer (who sees and hears the floor, and publishes one device). */
  readonly role = input<Role>('speaker');
  readonly language = input<string | null>(null);
  readonly leave = output();

  protected readonly crewNote = computed(() => {
    const language = this.language();
    switch (this.role()) {
      case 'interpreter':
        return language
          ? $localize`:@@stage.interpreterNote:You interpret into ${languageName(language)}:language:: the audience who chooses it hears you over the floor, turned down while you speak. The speakers do not hear you.`
          : $localize`:@@stage.interpreterNoteNoLanguage:You interpret into your language: the audience who chooses it hears you over the floor, turned down while you speak. The speakers do not hear you.`;
      case 'signer':
        return $localize`:@@stage.signerNote:You sign: your camera has its own place in the broadcast that nothing covers. Your microphone is not used.`;
      default:
        return null;
    }
  });

  protected readonly stage = inject(StageStore);
  protected readonly questions = inject(QuestionsStore);
  protected readonly settingsOpen = signal(false);
}
