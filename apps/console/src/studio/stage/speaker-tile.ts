import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { Icon } from '../../shared/icon';
import { participantName } from '../../shared/i18n/participant-name';
import { MediaTrack } from '../ui/media-track';
import type { SpeakerView } from './stage.store';

/**
 * One person in the studio: their camera (or initials), their voice, muted and speaking marks; a journalist
 * on stage with their outlet and a "Guest" badge.
 */
@Component({
  selector: 'pr-speaker-tile',
  imports: [Icon, MediaTrack],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    figure {
      position: relative;
      margin: 0;
      aspect-ratio: 16 / 9;
      border-radius: var(--pr-radius-large);
      overflow: hidden;
      background: var(--pr-surface-raised);
      box-shadow: 0 0 0 1px var(--pr-border);
      transition: box-shadow 150ms ease;
    }
    figure.speaking {
      box-shadow:
        0 0 0 3px var(--pr-success),
        0 0 24px -4px color-mix(in srgb, var(--pr-success) 60%, transparent);
    }
    video {
      inline-size: 100%;
      block-size: 100%;
      object-fit: cover;
      display: block;
    }
    video.mirrored {
      transform: scaleX(-1);
    }
    .avatar {
      display: grid;
      place-items: center;
      block-size: 100%;
    }
    .initials {
      display: grid;
      place-items: center;
      inline-size: clamp(3rem, 22%, 5.5rem);
      aspect-ratio: 1;
      border-radius: 50%;
      background: var(--pr-surface-high);
      font-size: clamp(1.1rem, 3vw, 1.75rem);
      font-weight: 600;
      letter-spacing: 0.02em;
    }
    figcaption {
      position: absolute;
      inset-inline-start: 0.5rem;
      inset-block-end: 0.5rem;
      max-inline-size: calc(100% - 1rem);
      display: flex;
      align-items: center;
      gap: 0.375rem;
      padding: 0.25rem 0.625rem;
      border-radius: 999px;
      background: rgb(0 0 0 / 0.65);
      font-size: 0.875rem;
      font-weight: 500;
    }
    .name {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .role {
      color: var(--pr-text-muted);
      font-weight: 400;
    }
    .outlet {
      color: var(--pr-text-muted);
      font-weight: 400;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .guest {
      padding: 0 0.375rem;
      border-radius: 999px;
      background: var(--pr-accent);
      color: var(--pr-on-accent);
      font-size: 0.75rem;
      font-weight: 600;
      text-transform: uppercase;
      letter-spacing: 0.03em;
    }
    .muted {
      --pr-icon-size: 1rem;
      display: inline-flex;
      color: #ff8a8d;
    }
  `,
  template: `
    <figure [class.speaking]="speaker().speaking" [attr.aria-label]="label()">
      @if (speaker().camera; as camera) {
        <video [prMediaTrack]="camera" [muted]="true" [class.mirrored]="speaker().isSelf" autoplay playsinline></video>
      } @else {
        <div class="avatar">
          <span class="initials" aria-hidden="true">{{ initials() }}</span>
        </div>
      }
      @if (speaker().voice; as voice) {
        <audio [prMediaTrack]="voice" [sinkId]="outputId()" autoplay></audio>
      }
      <figcaption>
        <span class="name">{{ caption() }}</span>
        @if (speaker().outlet; as outlet) {
          <span class="outlet">{{ outlet }}</span>
        }
        @if (speaker().isModerator) {
          <span class="role" i18n="@@tile.moderator">Moderator</span>
        }
        @if (speaker().isGuest) {
          <span class="guest" i18n="@@tile.guest">Guest</span>
        }
        @if (speaker().microphoneMuted) {
          <span class="muted"><pr-icon name="mic-off" /></span>
        }
      </figcaption>
    </figure>
  `,
})
export class SpeakerTile {
  readonly speaker = input.required<SpeakerView>();
  /** The speaker's own name, for their own tile (which says “You” without it). */
  readonly ownName = input<string | null>(null);
  /** The audio output the speaker chose; null: the default one. */
  readonly outputId = input<string | null>(null);

  /** As the page shows it: a forgotten speaker's in the page's language. */
  readonly #ownName = computed(() => participantName(this.ownName()));
  readonly #plainName = computed(() =>
    this.speaker().isSelf ? (this.#ownName() ?? $localize`:@@tile.you:You`) : this.speaker().name,
  );
  protected readonly caption = computed(() =>
    this.speaker().isSelf && this.#ownName()
      ? $localize`:@@tile.ownName:${this.#ownName()}:name: (you)`
      : this.#plainName(),
  );
  /** The figure's name says what the picture shows: "Dr. Okafor, moderator, microphone muted, speaking". */
  protected readonly label = computed(() => {
    const { isModerator, isGuest, outlet, microphoneMuted, speaking } = this.speaker();
    return [
      this.caption(),
      ...(outlet ? [outlet] : []),
      ...(isModerator ? [$localize`:@@tile.label.moderator:moderator`] : []),
      ...(isGuest ? [$localize`:@@tile.label.guest:guest`] : []),
      ...(microphoneMuted ? [$localize`:@@tile.label.muted:microphone muted`] : []),
      ...(speaking ? [$localize`:@@tile.label.speaking:speaking`] : []),
    ].join(', ');
  });
  protected readonly initials = computed(() =>
    this.#plainName()
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((word) => word[0]!.toUpperCase())
      .join(''),
  );
}
