import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { uiLanguage } from '../../../shared/i18n/ui-language';
import type { EventStatus, RecordingStatus } from '@pressroom/protocol';
import { Icon } from '../../../shared/icon';

/**
 * The event's recording in the broadcast panel: what will become of it before the end; after, whether
 * it is being made, a link that downloads the MP4 (a plain link: its address carries a key) and one
 * per caption language's WebVTT file, or why there is none.
 */
@Component({
  selector: 'pr-recording-part',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Icon],
  template: `
    <h3 class="title" i18n="@@recording.title">Recording</h3>
    @if (retentionHours() === 0) {
      <p class="pr-hint" i18n="@@recording.deletedAtEnd">
        Deleted at the end with the event's data (retention 0 hours): there will be nothing to download. To keep it, set
        a retention in the event's settings before the end.
      </p>
    } @else if (eventStatus() !== 'ended') {
      <p class="pr-hint">
        @if (retentionHours() === null) {
          <ng-container i18n="@@recording.later"
            >Once the event has ended, it can be downloaded here as an MP4 until the event's data is
            deleted.</ng-container
          >
        } @else {
          <ng-container i18n="@@recording.laterHours"
            >Once the event has ended, it can be downloaded here as an MP4 until the event's data is deleted,
            {{ retentionHours() }} h after the end.</ng-container
          >
        }
      </p>
    } @else {
      <div class="state" aria-live="polite">
        @if (recording(); as recording) {
          @switch (recording.state) {
            @case ('preparing') {
              <p i18n="@@recording.preparing">Preparing the recording…</p>
              @if (recording.durationSeconds) {
                <p class="pr-meta" i18n="@@recording.ofBroadcast">
                  {{ duration(recording.durationSeconds) }} of broadcast
                </p>
              }
            }
            @case ('ready') {
              <a class="pr-btn pr-btn-primary pr-btn-sm" [href]="recording.downloadUrl" download>
                <pr-icon name="download" /><ng-container i18n="@@recording.download"
                  >Download recording (MP4)</ng-container
                >
              </a>
              <p class="pr-meta">
                {{ size(recording.sizeBytes ?? 0) }} · {{ duration(recording.durationSeconds ?? 0) }}
              </p>
              @if (recording.captions?.length) {
                <p class="pr-meta" i18n="@@recording.captions">Captions (WebVTT), also in the MP4 as subtitles:</p>
                <ul class="captions">
                  @for (captions of recording.captions; track captions.language) {
                    <li>
                      <a [href]="captions.url" download>{{ languageName(captions.language) }}</a>
                    </li>
                  }
                </ul>
              }
            }
            @case ('empty') {
              <p i18n="@@recording.empty">Nothing was recorded: the event was never on air.</p>
            }
            @case ('failed') {
              <p i18n="@@recording.failed">The recording could not be made.</p>
              <button type="button" class="pr-btn pr-btn-sm" [disabled]="retrying()" (click)="retried.emit()">
                @if (retrying()) {
                  <ng-container i18n="@@common.tryingAgain">Trying again…</ng-container>
                } @else {
                  <ng-container i18n="@@common.tryAgain">Try again</ng-container>
                }
              </button>
            }
            @case ('not_ended') {
              <p i18n="@@recording.notEnded">It can be downloaded once the event has ended.</p>
            }
          }
        } @else if (!problem()) {
          <p class="pr-meta" i18n="@@recording.checking">Checking the recording…</p>
        }
      </div>
      @if (problem(); as problem) {
        <p class="pr-field-error" role="alert">{{ problem }}</p>
      }
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 0.4rem;
      padding-top: 0.6rem;
      border-top: 1px solid var(--pr-border);
    }
    .title {
      font-size: 0.875rem;
    }
    .state {
      display: flex;
      flex-direction: column;
      align-items: flex-start;
      gap: 0.4rem;
    }
    p {
      margin: 0;
      font-size: 0.875rem;
    }
    .captions {
      margin: 0;
      padding-left: 1.1rem;
      font-size: 0.8125rem;
    }
    .pr-hint,
    .pr-meta,
    .pr-field-error {
      font-size: 0.8125rem;
    }
  `,
})
export class RecordingPart {
  readonly eventStatus = input.required<EventStatus>();
  /** Hours after the end until the purge; null until known. */
  readonly retentionHours = input.required<number | null>();
  /** Null until known. */
  readonly recording = input.required<RecordingStatus | null>();
  readonly problem = input<string | null>(null);
  readonly retrying = input(false);
  /** The moderator asks to make a failed recording again. */
  readonly retried = output();

  /** When the event's data is deleted, if known. */
  protected readonly when = computed(() => {
    const hours = this.retentionHours();
    return hours === null ? '' : `, ${hours} h after the end`;
  });
  protected readonly size = formatSize;
  protected readonly languageName = languageName;
  protected readonly duration = formatDuration;
}

/** `Spanish (es)`: a caption language by its name in the browser's language, and its tag. */
function languageName(tag: string): string {
  try {
    const name = new Intl.DisplayNames([uiLanguage()], { type: 'language' }).of(tag);
    return name && name !== tag ? `${name} (${tag})` : tag;
  } catch {
    return tag;
  }
}

const SIZE_UNITS = ['bytes', 'kB', 'MB', 'GB', 'TB'];

/** `1.2 GB`, `35 MB`, `900 bytes` (units of 1000, as file managers show them). */
function formatSize(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < SIZE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const number = new Intl.NumberFormat(uiLanguage(), { maximumFractionDigits: 1 }).format(value);
  return `${number} ${SIZE_UNITS[unit]}`;
}

/** `1 h 2 min`, `12 min 5 s`, `40 s`. */
function formatDuration(seconds: number): string {
  const total = Math.round(seconds);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  if (hours > 0) return `${hours} h ${minutes} min`;
  if (minutes > 0) return `${minutes} min ${total % 60} s`;
  return `${total} s`;
}
