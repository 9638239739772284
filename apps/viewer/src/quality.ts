/**
 * The quality menu under the broadcast: Auto (hls.js picks the rendition the network carries), each video
 * rendition of the broadcast's ladder, and Audio only — the audio-only playlist, so no video is downloaded
 * at all, with who is on air shown instead (quality-audio.ts). The choice is remembered in this browser
 * for every event. A native `<select>` with a label: keyboard and screen readers work as everywhere; its
 * width is fixed in the style sheet, so filling it in moves nothing.
 */
import type Hls from 'hls.js';
import { AUDIO_ONLY_PLAYLIST } from '@pressroom/protocol';
import { h } from './dom';
import { onLanguageChange, t } from './i18n';
import { rememberedQuality, rememberQuality } from './remembered';

const AUTO = 'auto';
const AUDIO = 'audio';
const MULTIVARIANT = 'index.m3u8';

/** `720p` -> 720; anything else: undefined. */
const heightOf = (quality: string): number | undefined => {
  const match = /^(\d{3,4})p$/.exec(quality);
  return match ? Number(match[1]) : undefined;
};

export interface QualityMenuHooks {
  /** The player plays this playlist from now on (the multivariant one, or the audio-only one). */
  source(source: string): void;
  audioOnly(audioOnly: boolean): void;
}

export class QualityMenu {
  readonly #select: HTMLSelectElement;
  /** `/hls/<slug>/` */
  readonly #base: string;
  #hooks: QualityMenuHooks | undefined;
  #quality: string;
  #hls: Hls | null = null;
  /** The video renditions' heights, highest first, once a multivariant playlist was read. */
  #heights: number[] = [];
  /** What Auto plays now. */
  #autoHeight: number | undefined;

  constructor(select: HTMLSelectElement, base: string) {
    this.#select = select;
    this.#base = base;
    const remembered = rememberedQuality();
    this.#quality = remembered && (remembered === AUDIO || heightOf(remembered)) ? remembered : AUTO;
    select.addEventListener('change', () => this.#pick(select.value));
    onLanguageChange(() => this.#render());
    this.#render();
  }

  /** The playlist to play for the current choice. */
  get source(): string {
    return this.#base + (this.audioOnly ? AUDIO_ONLY_PLAYLIST : MULTIVARIANT);
  }

  get audioOnly(): boolean {
    return this.#quality === AUDIO;
  }

  connect(hooks: QualityMenuHooks): void {
    this.#hooks = hooks;
    hooks.audioOnly(this.audioOnly);
  }

  /** The player made an hls.js for its source: follow its renditions, apply the choice to it. */
  attach(hls: Hls, HlsPlayer: typeof Hls): void {
    this.#hls = hls;
    hls.on(HlsPlayer.Events.MANIFEST_PARSED, () => {
      if (this.#hls !== hls) return;
      const heights = [...new Set(hls.levels.map((level) => level.height).filter((height) => height > 0))];
      // The audio-only playlist has no video rendition: the menu keeps those it knew.
      if (heights.length > 0) this.#heights = heights.sort((a, b) => b - a);
      this.#applyLevel();
      this.#render();
    });
    hls.on(HlsPlayer.Events.LEVEL_SWITCHED, (_event, { level }) => {
      if (this.#hls !== hls) return;
      this.#autoHeight = hls.levels[level]?.height || undefined;
      this.#render();
    });
  }

  #pick(quality: string): void {
    const wasAudioOnly = this.audioOnly;
    this.#quality = quality;
    rememberQuality(quality === AUTO ? null : quality);
    if (this.audioOnly !== wasAudioOnly) {
      this.#autoHeight = undefined;
      this.#hooks?.audioOnly(this.audioOnly);
      this.#hooks?.source(this.source);
    } else {
      this.#applyLevel();
    }
    this.#render();
  }

  /**
   * A rendition: hls.js keeps to it from its next segment (no flush, no stall); one this broadcast does
   * not make: the highest below it. Auto: hls.js chooses again.
   */
  #applyLevel(): void {
    const hls = this.#hls;
    if (!hls || this.audioOnly || hls.levels.length === 0) return;
    const height = heightOf(this.#quality);
    if (height === undefined) {
      hls.nextLevel = -1;
      return;
    }
    const fitting = hls.levels
      .map((level, index) => ({ height: level.height, index }))
      .filter((level) => level.height <= height)
      .sort((a, b) => b.height - a.height)[0];
    hls.nextLevel = fitting?.index ?? -1;
  }

  #render(): void {
    const height = heightOf(this.#quality);
    const heights = height && !this.#heights.includes(height) ? [...this.#heights, height] : this.#heights;
    const auto =
      this.#autoHeight && this.#quality === AUTO
        ? t('quality.auto_at', { height: this.#autoHeight })
        : t('quality.auto');
    const options = [
      h('option', { value: AUTO }, auto),
      ...heights.sort((a, b) => b - a).map((each) => h('option', { value: `${each}p` }, `${each}p`)),
      h('option', { value: AUDIO }, t('quality.audio_only')),
    ];
    const same =
      options.length === this.#select.options.length &&
      options.every((option, i) => {
        const current = this.#select.options[i]!;
        return current.value === option.value && current.text === option.text;
      });
    if (!same) this.#select.replaceChildren(...options);
    this.#select.value = this.#quality;
  }
}
