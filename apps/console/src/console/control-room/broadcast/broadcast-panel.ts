import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { HlsPlayer } from '../../../shared/hls-player';
import { Icon } from '../../../shared/icon';
import { hlsPlaylist } from '../../events/event-links';
import { BroadcastStore } from './broadcast.store';
import { RecordingPart } from './recording-part';
import { RecordingStore } from './recording.store';

/**
 * The broadcast: a small live preview (what the audience sees), starting and ending the event, and its
 * recording.
 */
@Component({
  selector: 'pr-broadcast-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  providers: [RecordingStore],
  imports: [DatePipe, Icon, HlsPlayer, RecordingPart],
  template: `
    <section class="pr-panel panel" aria-labelledby="broadcast-title">
      <h2 id="broadcast-title" class="pr-panel-title">
        <pr-icon name="broadcast" /><ng-container i18n="@@broadcast.title">Broadcast</ng-container>
      </h2>
      @if (store.event(); as event) {
        @if (previewing()) {
          <pr-hls-player
            [src]="playlist()"
            label="Broadcast preview"
            i18n-label="@@broadcast.previewLabel"
            [lowest]="true"
          />
        } @else {
          <div class="screen">
            <p>
              @switch (event.status) {
                @case ('scheduled') {
                  <ng-container i18n="@@broadcast.previewLater"
                    >The preview plays here once the broadcast starts.</ng-container
                  >
                }
                @case ('purged') {
                  <ng-container i18n="@@broadcast.recordingDeleted"
                    >The recording was deleted with the event's data.</ng-container
                  >
                }
                @default {
                  <ng-container i18n="@@broadcast.ended">The broadcast has ended.</ng-container>
                }
              }
            </p>
            @if (event.status !== 'purged') {
              <button type="button" class="pr-btn pr-btn-sm" (click)="previewRequested.set(true)">
                <pr-icon name="play" />
                @if (event.status === 'scheduled') {
                  <ng-container i18n="@@broadcast.previewSlate">Preview the slate</ng-container>
                } @else {
                  <ng-container i18n="@@broadcast.watchRecording">Watch the recording</ng-container>
                }
              </button>
            }
          </div>
        }

        <p class="when pr-meta">
          @switch (event.status) {
            @case ('scheduled') {
              <ng-container i18n="@@broadcast.starts"
                >Starts
                <time [attr.datetime]="event.startsAt">{{
                  event.startsAt | date: 'EEE d MMM, HH:mm'
                }}</time></ng-container
              >
            }
            @case ('live') {
              <ng-container i18n="@@broadcast.liveSince"
                >Live since
                <time [attr.datetime]="event.startedAt">{{ event.startedAt | date: 'HH:mm' }}</time></ng-container
              >
            }
            @default {
              <ng-container i18n="@@broadcast.endedAt"
                >Ended
                <time [attr.datetime]="event.endedAt">{{
                  event.endedAt | date: 'EEE d MMM, HH:mm'
                }}</time></ng-container
              >
            }
          }
        </p>

        @if (confirmingEnd()) {
          <div class="confirm" role="group" aria-labelledby="end-question">
            <p id="end-question"><strong i18n="@@broadcast.endQuestion">End the event for everyone?</strong></p>
            <p i18n="@@broadcast.endExplain">
              The broadcast stops; the audience can no longer chat, ask or raise a hand.
            </p>
            @if (store.retentionHours() === 0) {
              <p class="warning">
                <pr-icon name="alert" /><ng-container i18n="@@broadcast.endPurgeWarning"
                  >Chat, questions, names and the recording are purged right after the end. Export the transcript
                  first.</ng-container
                >
              </p>
            }
            <div class="buttons">
              <button type="button" class="pr-btn pr-btn-danger-solid" [disabled]="store.busy()" (click)="end()">
                @if (store.busy() === 'end') {
                  <ng-container i18n="@@broadcast.ending">Ending…</ng-container>
                } @else {
                  <ng-container i18n="@@broadcast.endEvent">End the event</ng-container>
                }
              </button>
              <button type="button" class="pr-btn" (click)="confirmingEnd.set(false)" i18n="@@broadcast.keep">
                Keep broadcasting
              </button>
            </div>
          </div>
        } @else if (event.status === 'scheduled' || event.status === 'live') {
          <div class="buttons">
            @if (event.status === 'scheduled') {
              <button type="button" class="pr-btn pr-btn-primary" [disabled]="store.busy()" (click)="store.start()">
                <pr-icon name="broadcast" />
                @if (store.busy() === 'start') {
                  <ng-container i18n="@@broadcast.starting">Starting…</ng-container>
                } @else {
                  <ng-container i18n="@@broadcast.start">Start broadcast</ng-container>
                }
              </button>
            }
            <button
              type="button"
              class="pr-btn pr-btn-danger"
              [disabled]="store.busy()"
              (click)="confirmingEnd.set(true)"
            >
              <pr-icon name="stop" />
              @if (event.status === 'live') {
                <ng-container i18n="@@broadcast.end">End broadcast</ng-container>
              } @else {
                <ng-container i18n="@@broadcast.endWithoutStarting">End without starting</ng-container>
              }
            </button>
          </div>
        }

        @if (event.status === 'scheduled' || event.status === 'live') {
          <div class="lock">
            <label class="pr-check">
              <input
                type="checkbox"
                data-testid="join-lock"
                [checked]="event.joinLocked"
                [disabled]="store.locking()"
                (change)="lockJoining($event)"
              />
              <span i18n="@@broadcast.lockJoining">Lock joining</span>
            </label>
            <span class="pr-hint" role="status">
              @if (event.joinLocked) {
                <ng-container i18n="@@broadcast.lockedHint"
                  >Nobody new may join; those already in keep watching and taking part.</ng-container
                >
              } @else if (event.passwordRequired) {
                <ng-container i18n="@@broadcast.openHintPassword"
                  >Anyone with the viewer link and the password may join.</ng-container
                >
              } @else {
                <ng-container i18n="@@broadcast.openHint">Anyone with the viewer link may join.</ng-container>
              }
            </span>
          </div>
        }

        @if (event.status !== 'purged') {
          <pr-recording-part
            [eventStatus]="event.status"
            [retentionHours]="store.retentionHours()"
            [recording]="recording.recording()"
            [problem]="recording.problem()"
            [retrying]="recording.retrying()"
            (retried)="recording.retry()"
          />
        }
      } @else {
        <p class="pr-meta" i18n="@@controlRoom.connecting">Connecting…</p>
      }
    </section>
  `,
  styles: `
    .panel {
      display: flex;
      flex-direction: column;
      gap: 0.6rem;
      padding: 0.75rem;
    }
    .screen {
      display: flex;
      flex-direction: column;
      align-items: center;
      justify-content: center;
      gap: 0.6rem;
      aspect-ratio: 16 / 9;
      padding: 1rem;
      border-radius: var(--pr-radius);
      background: var(--pr-surface-sunken);
      border: 1px dashed var(--pr-border-strong);
      text-align: center;
      color: var(--pr-text-muted);
      font-size: 0.875rem;
    }
    .screen p,
    .when {
      margin: 0;
    }
    .buttons {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
    }
    .confirm {
      display: flex;
      flex-direction: column;
      gap: 0.4rem;
      padding: 0.75rem;
      border: 1px solid var(--pr-danger);
      border-radius: var(--pr-radius);
      background: var(--pr-danger-soft);
    }
    .confirm p {
      margin: 0;
      font-size: 0.875rem;
    }
    .lock {
      display: flex;
      flex-direction: column;
      gap: 0.2rem;
    }
    .warning {
      display: flex;
      gap: 0.4rem;
      color: var(--pr-danger);
      font-weight: 600;
    }
  `,
})
export class BroadcastPanel {
  protected readonly store = inject(BroadcastStore);
  protected readonly recording = inject(RecordingStore);
  protected readonly previewRequested = signal(false);
  protected readonly confirmingEnd = signal(false);
  protected readonly previewing = computed(() => this.store.status() === 'live' || this.previewRequested());
  protected readonly playlist = computed(() => hlsPlaylist(this.store.event()?.slug ?? ''));

  protected lockJoining(changed: Event): void {
    const box = changed.target as HTMLInputElement;
    void this.store.setJoinLocked(box.checked);
    // Shown as the server has it: the box follows the event once the change is stored.
    box.checked = this.store.event()?.joinLocked ?? false;
  }

  protected async end(): Promise<void> {
    await this.store.end();
    this.confirmingEnd.set(false);
  }
}
