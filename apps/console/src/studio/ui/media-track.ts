import { Directive, ElementRef, effect, inject, input } from '@angular/core';

/**
 * Plays one track in a `<video>` or `<audio>`: `<video [prMediaTrack]="track">`. The element gets a new
 * stream only when the track itself changes, so a re-render never restarts what plays. `sinkId` sends
 * the sound to a chosen output where the browser allows it.
 */
@Directive({ selector: 'video[prMediaTrack], audio[prMediaTrack]' })
export class MediaTrack {
  readonly prMediaTrack = input.required<MediaStreamTrack | null>();
  readonly sinkId = input<string | null>(null);

  readonly #element = inject<ElementRef<HTMLMediaElement>>(ElementRef).nativeElement;

  constructor() {
    effect(() => {
      const track = this.prMediaTrack();
      this.#element.srcObject = track ? new MediaStream([track]) : null;
      // Autoplay can be refused before the first click; the element then starts with the next one.
      if (track) this.#element.play().catch(() => undefined);
    });
    effect(() => {
      const sinkId = this.sinkId();
      const element = this.#element as HTMLMediaElement & { setSinkId?(id: string): Promise<void> };
      if (sinkId !== null && element.setSinkId) element.setSinkId(sinkId).catch(() => undefined);
    });
  }
}
