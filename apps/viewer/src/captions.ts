/**
 * Captions on the event page (issue 14): a CC toggle, a size and the caption language, remembered in this
 * browser. The broadcast lists each caption language as a WebVTT subtitles rendition of its multivariant
 * playlist. hls.js's light build (the page's budget) has no subtitles: this module reads the rendition
 * itself (its playlist every second, each new segment once), places each cue by the program date-time of
 * its segment against the fragments hls.js plays, and shows it in a text track of the video (the
 * browser draws it, the size set by `::cue`). With the browser's own HLS (Safari), its own text tracks of
 * the stream are used. Languages added during the event show up within `LANGUAGES_MS`.
 */
import type Hls from 'hls.js';
import { byId, h } from './dom';
import { onLanguageChange, t, type PageKey } from './i18n';
import { rememberCaptions, rememberedCaptions, type CaptionSize, type CaptionsChoice } from './remembered';

const LANGUAGES_MS = 20_000;
const POLL_MS = 1_000;
const FIRST_LOOK_SEGMENTS = 24;
const SIZES: Record<CaptionSize, PageKey> = {
  small: 'captions.small',
  medium: 'captions.medium',
  large: 'captions.large',
};

interface Language {
  language: string;
  name: string;
  uri: string;
}

interface Cue {
  id: string;
  /** Epoch ms on the program date-time. */
  start: number;
  end: number;
  text: string;
}

/** The caption languages a multivariant playlist lists. */
export function subtitleLanguages(manifest: string): Language[] {
  return manifest.split('\n').flatMap((line) => {
    if (!line.startsWith('#EXT-X-MEDIA:') || !line.includes('TYPE=SUBTITLES')) return [];
    const attr = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(line)?.[1];
    const language = attr('LANGUAGE');
    const uri = attr('URI');
    return language && uri ? [{ language, name: attr('NAME') ?? language, uri }] : [];
  });
}

/** `hh:mm:ss.mmm` or `mm:ss.mmm` in ms. */
const vttMs = (time: string) => time.split(':').reduce((total, part) => total * 60 + Number(part), 0) * 1000;

/** A WebVTT segment's cues, placed on the program date-time of its segment (`programTime`, epoch ms). */
export function segmentCues(vtt: string, programTime: number): Cue[] {
  const local = /LOCAL:([\d:.]+)/.exec(vtt)?.[1];
  const base = programTime - (local ? vttMs(local) : 0);
  return vtt
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .flatMap((block) => {
      const lines = block.split('\n');
      const at = lines.findIndex((line) => line.includes('-->'));
      if (at === -1) return [];
      const [from, to] = lines[at]!.split('-->').map((part) => part.trim().split(/\s/)[0]!);
      const text = lines.slice(at + 1).join('\n');
      return [{ id: lines[at - 1] ?? `${from}${text}`, start: base + vttMs(from!), end: base + vttMs(to!), text }];
    });
}

/**
 * The captions controls under the player, and the captions in it. The cue text stays as the WebVTT
 * carries it (`&lt;` …): a VTTCue's text is cue markup too. Call `attach` with each hls.js the player makes.
 */
export function mountCaptions(
  video: HTMLVideoElement,
  hlsBase: string,
): { attach(hls: Hls, HlsPlayer: typeof Hls): void } {
  const box = byId('captions');
  const toggle = byId<HTMLButtonElement>('captions-toggle');
  const sizeMenu = byId<HTMLSelectElement>('captions-size');
  const languageMenu = byId<HTMLSelectElement>('captions-language');
  const screen = video.parentElement!;
  let choice: CaptionsChoice = rememberedCaptions();
  let languages: Language[] = [];
  /** The video's time minus the program date-time (s), from the latest fragment hls.js loaded. */
  let offset: number | undefined;
  let hlsOn = false;
  let feed: { language: string; stop(): void } | undefined;
  const tracks = new Map<string, TextTrack>();

  const drawSizes = () =>
    sizeMenu.replaceChildren(...Object.entries(SIZES).map(([value, label]) => h('option', { value }, t(label))));
  drawSizes();
  onLanguageChange(() => {
    drawSizes();
    render();
  });
  toggle.addEventListener('click', () => update({ on: !choice.on }));
  sizeMenu.addEventListener('change', () => update({ size: sizeMenu.value as CaptionSize }));
  languageMenu.addEventListener('change', () => update({ language: languageMenu.value }));

  function update(change: Partial<CaptionsChoice>): void {
    choice = { ...choice, ...change };
    rememberCaptions(choice);
    render();
  }

  /** The language shown: the one chosen if the broadcast has it, else the browser's, else the first. */
  function current(): Language | undefined {
    const preferred = [choice.language, ...navigator.languages].filter(Boolean) as string[];
    for (const tag of preferred) {
      const found =
        languages.find((l) => l.language === tag) ?? languages.find((l) => l.language === tag.split('-')[0]);
      if (found) return found;
    }
    return languages[0];
  }

  function render(): void {
    box.hidden = languages.length === 0;
    toggle.setAttribute('aria-pressed', String(choice.on));
    sizeMenu.value = choice.size;
    for (const size of Object.keys(SIZES)) screen.classList.toggle(`cc-${size}`, choice.size === size);
    const shown = current();
    const options = languages.map((l) => h('option', { value: l.language }, l.name));
    if (
      languageMenu.options.length !== options.length ||
      options.some((o, i) => languageMenu.options[i]?.value !== o.value)
    ) {
      languageMenu.replaceChildren(...options);
    }
    if (shown) languageMenu.value = shown.language;
    const wanted = choice.on && shown ? shown : undefined;
    // The browser's own HLS: its text tracks are the stream's.
    if (!hlsOn) {
      for (const track of Array.from(video.textTracks)) {
        if (track.kind === 'subtitles' || track.kind === 'captions') {
          track.mode = wanted && track.language === wanted.language ? 'showing' : 'disabled';
        }
      }
      return;
    }
    for (const [language, track] of tracks) track.mode = wanted?.language === language ? 'showing' : 'disabled';
    if (feed?.language !== wanted?.language) {
      feed?.stop();
      feed = wanted ? follow(wanted) : undefined;
    }
  }

  /** Reads a language's rendition while it is shown: new segments' cues into its text track. */
  function follow(language: Language): { language: string; stop(): void } {
    let track = tracks.get(language.language);
    if (!track) {
      track = video.addTextTrack('captions', language.name, language.language);
      tracks.set(language.language, track);
    }
    track.mode = 'showing';
    const target = track;
    const seen = new Set<string>();
    const added = new Set<string>();
    const pending: Cue[] = [];
    let stopped = false;
    const poll = async () => {
      const playlist = await text(hlsBase + language.uri);
      let programTime = NaN;
      const fresh: Array<{ uri: string; programTime: number }> = [];
      for (const line of playlist?.split('\n') ?? []) {
        if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) programTime = Date.parse(line.slice(25));
        else if (line && !line.startsWith('#')) {
          if (!seen.has(line) && Number.isFinite(programTime)) fresh.push({ uri: line, programTime });
          programTime = NaN;
        }
      }
      // A first look takes the last segments only (a cue shows 7 s at most; the player is a few seconds behind).
      for (const segment of seen.size === 0 ? fresh.slice(-FIRST_LOOK_SEGMENTS) : fresh) {
        const vtt = await text(hlsBase + segment.uri);
        if (vtt === undefined) continue;
        seen.add(segment.uri);
        pending.push(...segmentCues(vtt, segment.programTime));
      }
      if (offset === undefined) return;
      for (const cue of pending.splice(0)) {
        if (added.has(cue.id)) continue;
        added.add(cue.id);
        target.addCue(new VTTCue(cue.start / 1000 + offset, cue.end / 1000 + offset, cue.text));
      }
    };
    const loop = async () => {
      while (!stopped) {
        await poll().catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    };
    void loop();
    return {
      language: language.language,
      stop: () => {
        stopped = true;
      },
    };
  }

  const readLanguages = async () => {
    const manifest = await text(`${hlsBase}index.m3u8`);
    if (manifest !== undefined && manifest.includes('#EXT-X-STREAM-INF')) languages = subtitleLanguages(manifest);
    render();
  };
  void readLanguages();
  window.setInterval(() => void readLanguages(), LANGUAGES_MS);
  video.textTracks.addEventListener('addtrack', () => render());

  return {
    attach(hls, HlsPlayer) {
      // A new hls.js is a new media timeline: the cues are placed again.
      hlsOn = true;
      offset = undefined;
      feed?.stop();
      feed = undefined;
      for (const track of tracks.values()) for (const cue of Array.from(track.cues ?? [])) track.removeCue(cue);
      hls.on(HlsPlayer.Events.FRAG_LOADED, (_event, { frag }) => {
        if (frag.type === 'main' && frag.programDateTime) offset = frag.start - frag.programDateTime / 1000;
      });
      render();
    },
  };
}

async function text(url: string): Promise<string | undefined> {
  const response = await fetch(url, { credentials: 'same-origin' }).catch(() => undefined);
  return response?.ok ? response.text() : undefined;
}
