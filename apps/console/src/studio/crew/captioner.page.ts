import {
  ChangeDetectionStrategy,
  Component,
  type ElementRef,
  computed,
  inject,
  input,
  output,
  signal,
  viewChild,
} from '@angular/core';
import type { EventStatus } from '@pressroom/protocol';
import { Icon } from '../../shared/icon';
import { languageName } from '../device-check/device-check.page';
import { StageStore } from '../stage/stage.store';
import { MediaTrack } from '../ui/media-track';
import { CaptionerStore } from './captioner.store';

/**
 * The captioner's page: the studio's sound over WebRTC (the speakers as they speak, no broadcast delay),
 * who is speaking, and a large text box: Enter sends the line as a caption, what is being typed goes to
 * the moderators' preview as interim text.
 */
@Component({
  selector: 'pr-captioner-page',
  imports: [Icon, MediaTrack],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './captioner.page.css',
  template: `
    <h1 class="visually-hidden" tabindex="-1">
      @if (languageLabel(); as language) {
        <ng-container i18n="@@captioner.headingIn">Captioning in {{ language }}</ng-container>
      } @else {
        <ng-container i18n="@@captioner.heading">Captioning</ng-container>
      }
    </h1>
    <div class="banners">
      <div role="status">
        @if (stage.connection() === 'recovering') {
          <p class="banner">
            <span class="spinner" aria-hidden="true"></span
            ><ng-container i18n="@@captioner.reconnecting"
              >Reconnecting to the studio… The sound comes back by itself.</ng-container
            >
          </p>
        }
      </div>
      @if (captions.problem(); as problem) {
        <p role="alert" class="banner problem"><pr-icon name="alert" />{{ problem }}</p>
      }
    </div>
    <div class="body">
      <section class="floor" aria-labelledby="floor-heading">
        <h2 id="floor-heading" i18n="@@stage.heading">In the studio</h2>
        <p class="air" [class.live]="eventStatus() === 'live'">
          @if (eventStatus() === 'live') {
            <span class="dot" aria-hidden="true"></span
            ><ng-container i18n="@@captioner.live">Live: your lines appear as captions in the broadcast.</ng-container>
          } @else {
            <ng-container i18n="@@captioner.notLive"
              >Not live yet: lines you send now are kept, but the broadcast shows them only once it is
              live.</ng-container
            >
          }
        </p>
        @if (voices().length === 0) {
          <p class="hint" i18n="@@captioner.noSpeaker">No speaker has joined yet. You will hear them as they join.</p>
        } @else {
          <ul class="speakers">
            @for (speaker of voices(); track speaker.peerId) {
              <li [class.speaking]="speaker.speaking">
                <pr-icon [name]="speaker.microphoneMuted ? 'mic-off' : 'mic'" />
                <span>{{ speaker.name }}</span>
                @if (speaker.speaking) {
                  <span class="visually-hidden" i18n="@@captioner.speaking">(speaking)</span>
                }
                @if (speaker.voice; as voice) {
                  <audio [prMediaTrack]="voice" [sinkId]="stage.outputId()" autoplay></audio>
                }
              </li>
            }
          </ul>
        }
      </section>

      <section class="captions" aria-labelledby="captions-heading">
        <h2 id="captions-heading">
          @if (languageLabel(); as language) {
            <ng-container i18n="@@captioner.captionsIn">Your captions ({{ language }})</ng-container>
          } @else {
            <ng-container i18n="@@captioner.captions">Your captions</ng-container>
          }
        </h2>
        <ol class="lines" aria-label="Lines sent" i18n-aria-label="@@captioner.lines">
          @for (line of captions.lines(); track line.id) {
            <li [class]="line.status">
              <time [attr.datetime]="line.at">{{ line.at.slice(11, 19) }}</time>
              <span>{{ line.text }}</span>
              @if (line.status === 'failed') {
                <span class="status" i18n="@@captioner.notSent">not sent</span>
              } @else if (line.status === 'sending') {
                <span class="status" i18n="@@captioner.sending">sending…</span>
              }
            </li>
          } @empty {
            <li class="empty" i18n="@@captioner.empty">Lines you send appear here.</li>
          }
        </ol>
        <label for="caption-line" i18n="@@captioner.label">Type what is said; <kbd>Enter</kbd> sends the line</label>
        <textarea
          #line
          id="caption-line"
          class="line-input"
          rows="3"
          [attr.maxlength]="captions.maxLength"
          [lang]="language() ?? ''"
          aria-describedby="caption-hint"
          [value]="draft()"
          (input)="typed($event)"
          (keydown.enter)="sendLine($event)"
        ></textarea>
        <div class="send-row">
          <p id="caption-hint" class="hint" i18n="@@captioner.left">
            {{ captions.maxLength - draft().length }} characters left. Send short lines, as they are spoken.
          </p>
          <button
            class="btn btn-primary"
            type="button"
            [disabled]="!draft().trim()"
            (click)="sendLine()"
            i18n="@@captioner.send"
          >
            Send line
          </button>
        </div>
      </section>
    </div>
    <div class="controls">
      <button class="btn" type="button" (click)="leave.emit()">
        <pr-icon name="log-out" /><ng-container i18n="@@controls.leave">Leave</ng-container>
      </button>
    </div>
  `,
})
export class CaptionerPage {
  readonly eventStatus = input<EventStatus | null>(null);
  readonly language = input<string | null>(null);
  readonly leave = output();

  protected readonly stage = inject(StageStore);
  protected readonly captions = inject(CaptionerStore);
  protected readonly draft = signal('');
  private readonly box = viewChild.required<ElementRef<HTMLTextAreaElement>>('line');
  /** The speakers whose sound plays here (not oneself: a captioner sends nothing). */
  protected readonly voices = computed(() => this.stage.speakers().filter((speaker) => !speaker.isSelf));
  protected readonly languageLabel = computed(() => {
    const language = this.language();
    return language ? languageName(language) : null;
  });

  protected typed(event: Event): void {
    // A line break pasted in becomes a space: a caption is one line.
    const text = (event.target as HTMLTextAreaElement).value.replace(/[\r\n]+/g, ' ');
    this.draft.set(text);
    this.captions.typing(text);
  }

  /** Enter sends the line (Shift+Enter too: captions are single lines); the box is ready for the next one. */
  protected sendLine(event?: Event): void {
    event?.preventDefault();
    const text = this.draft();
    if (!text.trim()) return;
    this.draft.set('');
    // Emptied now, not at the next change detection: the captioner's next keystroke starts the next line
    // (and a `draft` that went from '' back to '' between two renders would leave the old text there).
    this.box().nativeElement.value = '';
    void this.captions.send(text);
  }
}
