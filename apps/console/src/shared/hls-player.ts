import {
  afterRenderEffect,
  ChangeDetectionStrategy,
  Component,
  computed,
  input,
  signal,
  viewChild,
  type ElementRef,
} from '@angular/core';
import { liveLatency } from '@pressroom/protocol';
import type { HlsConfig } from 'hls.js';

/**
 * hls.js settings for the lowest delay without stalls: set for 1 s segments, adapted to the stream's
 * once its playlist is read (see `liveLatency` and the README's "Broadcast" section).
 */
export const LOW_LATENCY_HLS: Partial<HlsConfig> = {
  liveSyncDuration: liveLatency(1).target,
  liveMaxLatencyDuration: liveLatency(1).max,
  maxLiveSyncPlaybackRate: 1.5,
};

/** The playlist appears a few seconds after a broadcast starts: until then, ask again this often. */
const RETRY_MS = 1500;

export type PlayerState = 'loading' | 'playing' | 'buffering' | 'error';

/**
 * `<pr-hls-player [src]="'/hls/' + slug + '/index.m3u8'" />`: a muted, autoplaying HLS player with
 * the low-latency settings. hls.js is loaded only when a player is shown. The host carries the state
 * in `data-state` (loading, playing, buffering, error).
 */
@Component({
  selector: 'pr-hls-player',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[attr.data-state]': 'state()' },
  template: `
    <video #video muted playsinline autoplay controls [attr.aria-label]="label()"></video>
    @if (notice(); as text) {
      <p class="notice" role="status">{{ text }}</p>
    }
  `,
  styles: `
    :host {
      position: relative;
      display: block;
      aspect-ratio: 16 / 9;
      background: #0b0d10;
      border-radius: var(--pr-radius, 8px);
      overflow: hidden;
    }
    video {
      display: block;
      width: 100%;
      height: 100%;
    }
    .notice {
      position: absolute;
      inset: auto 0 0 0;
      margin: 0;
      padding: 0.5rem 0.75rem;
      background: rgb(0 0 0 / 0.7);
      color: #fff;
      font-size: 0.8125rem;
    }
  `,
})
export class HlsPlayer {
  readonly src = input.required<string>();
  /** The video's accessible name. */
  readonly label = input($localize`:@@player.label:Live preview`);
  /** Plays the broadcast's lowest rendition only (a preview beside the studio: the least bandwidth and CPU). */
  readonly lowest = input(false);
  /** Shows the broadcast's captions (its first caption language) when it has any. */
  readonly captions = input(true);

  protected readonly state = signal<PlayerState>('loading');
  readonly #error = signal<string | null>(null);
  protected readonly notice = computed(() => {
    switch (this.state()) {
      case 'loading':
        return $localize`:@@player.waiting:Waiting for the stream…`;
      case 'error':
        return $localize`:@@player.error:The stream cannot play here: ${this.#error()}:reason:`;
      default:
        return null;
    }
  });

  private readonly video = viewChild.required<ElementRef<HTMLVideoElement>>('video');

  constructor() {
    afterRenderEffect((onCleanup) => {
      const video = this.video().nativeElement;
      onCleanup(this.#play(video, this.src()));
    });
  }

  /** Starts playing `src` into `video`; returns what stops it. */
  #play(video: HTMLVideoElement, src: string): () => void {
    this.state.set('loading');
    const onPlaying = () => this.state.set('playing');
    const onWaiting = () => this.state.update((state) => (state === 'playing' ? 'buffering' : state));
    video.addEventListener('playing', onPlaying);
    video.addEventListener('waiting', onWaiting);
    let stopped = false;
    let stopHls = () => undefined as void;
    void import('hls.js').then(({ default: Hls }) => {
      if (stopped) return;
      if (!Hls.isSupported()) {
        if (video.canPlayType('application/vnd.apple.mpegurl')) video.src = src;
        else this.#fail('this browser cannot play HLS');
        return;
      }
      const lowest = this.lowest();
      // hls.js orders renditions by bitrate: the first is the lowest; capping there keeps to it.
      const hls = new Hls(lowest ? { ...LOW_LATENCY_HLS, startLevel: 0 } : LOW_LATENCY_HLS);
      let retry: ReturnType<typeof setTimeout> | undefined;
      hls.on(Hls.Events.MANIFEST_PARSED, () => {
        if (lowest) hls.autoLevelCapping = 0;
        void video.play().catch(() => undefined);
      });
      // The broadcast's captions (its first caption language), as the audience can turn them on.
      hls.on(Hls.Events.SUBTITLE_TRACKS_UPDATED, (_event, { subtitleTracks }) => {
        if (!this.captions() || subtitleTracks.length === 0 || hls.subtitleTrack !== -1) return;
        hls.subtitleDisplay = true;
        hls.subtitleTrack = 0;
      });
      hls.once(Hls.Events.LEVEL_LOADED, (_event, { details }) => {
        const latency = liveLatency(details.averagetargetduration ?? details.targetduration);
        hls.config.liveMaxLatencyDuration = latency.max;
        hls.targetLatency = latency.target;
      });
      hls.on(Hls.Events.ERROR, (_event, data) => {
        if (!data.fatal) return;
        if (data.type === Hls.ErrorTypes.NETWORK_ERROR) {
          this.state.set('loading');
          retry = setTimeout(() => hls.loadSource(src), RETRY_MS);
        } else if (data.type === Hls.ErrorTypes.MEDIA_ERROR) {
          hls.recoverMediaError();
        } else {
          this.#fail(data.details);
        }
      });
      hls.attachMedia(video);
      hls.loadSource(src);
      stopHls = () => {
        clearTimeout(retry);
        hls.destroy();
      };
    });
    return () => {
      stopped = true;
      stopHls();
      video.removeEventListener('playing', onPlaying);
      video.removeEventListener('waiting', onWaiting);
    };
  }

  #fail(reason: string): void {
    this.#error.set(reason);
    this.state.set('error');
  }
}
