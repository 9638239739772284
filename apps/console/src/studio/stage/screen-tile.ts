import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MediaTrack } from '../ui/media-track';
import type { ScreenView } from './stage.store';

/** A shared screen, shown whole (never cropped). */
@Component({
  selector: 'pr-screen-tile',
  imports: [MediaTrack],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    figure {
      position: relative;
      margin: 0;
      aspect-ratio: 16 / 9;
      border-radius: var(--pr-radius-large);
      overflow: hidden;
      background: #000;
      box-shadow: 0 0 0 1px var(--pr-border);
    }
    video {
      inline-size: 100%;
      block-size: 100%;
      object-fit: contain;
      display: block;
    }
    figcaption {
      position: absolute;
      inset-inline-start: 0.5rem;
      inset-block-end: 0.5rem;
      padding: 0.25rem 0.625rem;
      border-radius: 999px;
      background: rgb(0 0 0 / 0.65);
      font-size: 0.875rem;
      font-weight: 500;
    }
  `,
  template: `
    <figure>
      <video [prMediaTrack]="screen().track" [muted]="true" autoplay playsinline></video>
      <figcaption>
        @if (screen().isSelf) {
          <ng-container i18n="@@screen.own">Your shared screen</ng-container>
        } @else {
          <ng-container i18n="@@screen.of">{{ screen().name }}’s screen</ng-container>
        }
      </figcaption>
    </figure>
  `,
})
export class ScreenTile {
  readonly screen = input.required<ScreenView>();
}
