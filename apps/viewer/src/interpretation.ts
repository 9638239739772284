/**
 * The interpretation menu on the event page (issue 14): "Listen in" the floor or an interpretation
 * language, remembered in this browser for every event. The broadcast lists each interpreter's language
 * as an alternate audio rendition (`#EXT-X-MEDIA:TYPE=AUDIO`, the floor DEFAULT=YES, in the variants).
 *
 * hls.js's light build (the page's budget) has no alternate audio, and even the full build cannot take
 * the audio out of the broadcast's variants (one fMP4 stream of picture and sound). So a language with
 * the picture plays in an audio element of its own, a second light hls.js on the language's media
 * playlist (`audio-fr.m3u8`), kept on the picture by program date-time (both renditions come from one
 * muxer: same segments, same date-times), with the video's speed, volume and mute; the video's own sound
 * (the floor) is silenced through Web Audio meanwhile. With "Audio only" no video is fetched at all: the
 * language's playlist is the player's source. The browser's own HLS (Safari) offers the stream's audio
 * tracks itself.
 */
import type Hls from 'hls.js';
import { byId, h } from './dom';
import { onLanguageChange, t } from './i18n';
import { rememberedListen, rememberListen } from './remembered';

const LANGUAGES_MS = 20_000;
const SYNC_MS = 250;
/** The language's sound and the picture further apart than this (s): the sound is moved to the picture. */
const MAX_DRIFT_S = 0.25;
const FLOOR = '';

interface AudioLanguage {
  language: string;
  name: string;
  uri: string;
}

/** The interpretation languages and the floor's name a multivariant playlist lists. */
export function audioLanguages(manifest: string): { floor: string; languages: AudioLanguage[] } {
  let floor = 'Floor';
  const languages = manifest.split('\n').flatMap((line) => {
    if (!line.startsWith('#EXT-X-MEDIA:') || !line.includes('TYPE=AUDIO')) return [];
    const attr = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(line)?.[1];
    const language = attr('LANGUAGE');
    const uri = attr('URI');
    if (!uri) floor = attr('NAME') ?? floor;
    return language && uri ? [{ language, name: attr('NAME') ?? language, uri }] : [];
  });
  return { floor, languages };
}

export interface ListenHooks {
  /** Is "Audio only" picked (quality.ts)? */
  audioOnly(): boolean;
  /** The playlist to play changed (audio only in another language): see `source`. */
  sourceChanged(): void;
}

export interface ListenMenu {
  /** The quality changed (Audio only or not): plays the choice again. */
  update(): void;
  /** The playlist to play, given the quality menu's. */
  source(qualitySource: string): string;
  /** Call with each hls.js the player makes. */
  attach(hls: Hls, HlsPlayer: typeof Hls): void;
}

/** A language's sound beside the picture: its own audio element and hls.js. */
interface Side {
  language: string;
  audio: HTMLAudioElement;
  hls: Hls;
  /** Its element's time minus the program date-time (s). */
  offset?: number;
}

export function mountInterpretation(video: HTMLVideoElement, hlsBase: string, hooks: ListenHooks): ListenMenu {
  const box = byId('listen');
  const menu = byId<HTMLSelectElement>('listen-language');
  let choice = rememberedListen();
  let languages: AudioLanguage[] = [];
  let HlsClass: typeof Hls | null = null;
  /** The video's time minus the program date-time (s), from the fragment hls.js plays. */
  let videoOffset: number | undefined;
  let side: Side | undefined;
  let floorGain: GainNode | undefined;
  let floorContext: AudioContext | undefined;

  /** The language played: the one chosen while the broadcast has it, else the floor. */
  const current = (): AudioLanguage | undefined => languages.find((l) => l.language === choice);

  menu.addEventListener('change', () => {
    choice = menu.value === FLOOR ? null : menu.value;
    rememberListen(choice);
    void floorContext?.resume();
    apply();
  });
  // Sound may only start after a gesture: the first one lets Web Audio play the floor again.
  for (const gesture of ['pointerdown', 'keydown'] as const) {
    document.addEventListener(gesture, () => void floorContext?.resume(), { capture: true });
  }

  function render(): void {
    box.hidden = languages.length === 0;
    const options = [
      // The room's own sound, named in the page's language (the playlist names it in English).
      h('option', { value: FLOOR }, t('listen.floor')),
      ...languages.map((l) => h('option', { value: l.language }, l.name)),
    ];
    const same =
      options.length === menu.options.length &&
      options.every((o, i) => menu.options[i]?.value === o.value && menu.options[i]?.text === o.text);
    if (!same) menu.replaceChildren(...options);
    menu.value = current()?.language ?? FLOOR;
  }

  /** Plays the choice: another playlist (audio only), or the language's sound beside the picture. */
  function apply(): void {
    render();
    hooks.sourceChanged();
    const wanted = hooks.audioOnly() || !HlsClass ? undefined : current();
    if (side && side.language !== wanted?.language) {
      side.hls.destroy();
      side.audio.remove();
      side = undefined;
    }
    if (wanted && !side && HlsClass) side = listen(HlsClass, wanted);
    silenceFloor(side !== undefined);
  }

  function listen(HlsPlayer: typeof Hls, language: AudioLanguage): Side {
    // In the menu's box (not shown: no controls), where a test finds it.
    const audio = box.appendChild(h('audio', { 'data-language': language.language }));
    const hls = new HlsPlayer({ enableWorker: false, backBufferLength: 30 });
    const made: Side = { language: language.language, audio, hls };
    hls.on(HlsPlayer.Events.FRAG_LOADED, (_event, { frag }) => {
      if (frag.programDateTime) made.offset = frag.start - frag.programDateTime / 1000;
    });
    hls.on(HlsPlayer.Events.ERROR, (_event, data) => {
      if (data.fatal && side === made) {
        // Start it over: the sync loop puts it back on the picture.
        hls.destroy();
        side = undefined;
        window.setTimeout(() => apply(), 1_000);
      }
    });
    hls.attachMedia(audio);
    hls.loadSource(hlsBase + language.uri);
    return made;
  }

  /** The video's own sound (the floor) off while a language plays beside it. */
  function silenceFloor(silent: boolean): void {
    if (!floorGain && !silent) return;
    if (!floorGain) {
      floorContext = new AudioContext();
      floorGain = floorContext.createGain();
      floorContext.createMediaElementSource(video).connect(floorGain).connect(floorContext.destination);
    }
    floorGain.gain.value = silent ? 0 : 1;
  }

  /** The language's sound on the picture's date-time, at its speed, volume and mute. */
  function sync(): void {
    if (!side) return;
    const { audio } = side;
    audio.muted = video.muted;
    audio.volume = video.volume;
    if (video.paused || videoOffset === undefined || side.offset === undefined) {
      if (!audio.paused) audio.pause();
      return;
    }
    const target = video.currentTime - videoOffset + side.offset;
    const buffered = Array.from({ length: audio.buffered.length }, (_, i) => i).some(
      (i) => audio.buffered.start(i) <= target && target < audio.buffered.end(i),
    );
    if (buffered && Math.abs(audio.currentTime - target) > MAX_DRIFT_S) audio.currentTime = target;
    audio.playbackRate = video.playbackRate;
    if (audio.paused && buffered) audio.play().catch(() => undefined);
  }
  window.setInterval(sync, SYNC_MS);

  const readLanguages = async () => {
    const response = await fetch(`${hlsBase}index.m3u8`, { credentials: 'same-origin' }).catch(() => undefined);
    const manifest = response?.ok ? await response.text() : undefined;
    if (manifest === undefined || !manifest.includes('#EXT-X-STREAM-INF')) return;
    const before = JSON.stringify(languages);
    ({ languages } = audioLanguages(manifest));
    if (JSON.stringify(languages) !== before) apply();
    else render();
  };
  void readLanguages();
  window.setInterval(() => void readLanguages(), LANGUAGES_MS);
  onLanguageChange(render);

  return {
    update: apply,
    source(qualitySource) {
      const wanted = current();
      return hooks.audioOnly() && wanted ? hlsBase + wanted.uri : qualitySource;
    },
    attach(running, RunningClass) {
      // A new hls.js is a new media timeline.
      videoOffset = undefined;
      running.on(RunningClass.Events.FRAG_CHANGED, (_event, { frag }) => {
        if (frag.type === 'main' && frag.programDateTime) videoOffset = frag.start - frag.programDateTime / 1000;
      });
      const first = HlsClass === null;
      HlsClass = RunningClass;
      if (first) apply();
    },
  };
}
