/** The event's title and status, and the broadcast: the player, the slate over it, sound and live-edge buttons. */
import type { PublicEvent } from '@pressroom/protocol';
import { byId, formatDateTime, h, show } from './dom';
import { loadLaterMessages, onLanguageChange, t, type PageKey } from './i18n';
import { Player, type PlayerState } from './player';
import { QualityMenu } from './quality';
import type { mountCaptions } from './captions';
import type { ListenMenu } from './interpretation';
import { mountAudioOnly } from './quality-audio';
import type { ViewerStore } from './store';

const PLAYER_NOTES: Record<PlayerState, PageKey | null> = {
  loading: 'player.loading',
  playing: null,
  buffering: null,
  reconnecting: 'player.reconnecting',
  paused: 'player.paused',
  ended: 'player.ended',
  unsupported: 'player.unsupported',
  refused: 'player.refused',
};

export function statusLine(event: PublicEvent): string {
  switch (event.status) {
    case 'scheduled':
      return t('status.scheduled', { time: formatDateTime(event.startsAt) });
    case 'live':
      return t('status.live');
    case 'ended':
      return t('status.ended');
    case 'purged':
      return t('event.ended');
  }
}

/** Draws the event's head and returns the player, which the page starts once this browser may watch. */
export function mountStage(store: ViewerStore, slug: string, onRefused: () => void): Player {
  const video = byId<HTMLVideoElement>('video');
  const slate = byId('slate');
  const slateNote = byId('slate-note');
  const playButton = byId<HTMLButtonElement>('slate-play');
  const unmute = byId<HTMLButtonElement>('unmute');
  const goLive = byId<HTMLButtonElement>('go-live');
  let playerState: PlayerState = 'loading';
  let framesShown = false;
  /** The page started the player (this browser may watch). */
  let started = false;
  let shownStatus = store.state.event.status;

  const drawSlate = () => {
    const waiting = playerState !== 'playing' && !(playerState === 'buffering' && framesShown);
    show(slate, waiting);
    const note = PLAYER_NOTES[playerState];
    slateNote.textContent = note ? t(note) : '';
    show(playButton, playerState === 'paused');
  };

  const hlsBase = `/hls/${encodeURIComponent(slug)}/`;
  const quality = new QualityMenu(byId<HTMLSelectElement>('quality'), hlsBase);
  const audioOnly = mountAudioOnly(store, hlsBase);
  // The captions' and the languages' menus: chunks of their own, fetched beside hls.js (the page shows
  // without them; the player starts once both are here), so the page's own script stays small.
  let captions: ReturnType<typeof mountCaptions> | undefined;
  let listen: ListenMenu | undefined;
  const source = () => (listen ? listen.source(quality.source) : quality.source);
  const extras = Promise.all([import('./captions'), import('./interpretation'), loadLaterMessages()]).then(
    ([{ mountCaptions }, { mountInterpretation }]) => {
      captions = mountCaptions(video, hlsBase);
      listen = mountInterpretation(video, hlsBase, {
        audioOnly: () => quality.audioOnly,
        sourceChanged: () => player.setSource(source()),
      });
      player.setSource(source());
    },
  );
  const player = new Player(video, source(), {
    ready: extras,
    state(state) {
      started = state !== 'refused' && state !== 'unsupported';
      playerState = state;
      if (state === 'playing') framesShown = true;
      if (state === 'reconnecting' || state === 'loading') framesShown = false;
      drawSlate();
      if (state === 'refused') onRefused();
    },
    behindLive: (behind) => show(goLive, behind),
    hls: (hls, HlsPlayer) => {
      quality.attach(hls, HlsPlayer);
      captions?.attach(hls, HlsPlayer);
      listen?.attach(hls, HlsPlayer);
    },
  });
  quality.connect({
    // The player's source follows from both menus.
    source: () => (listen ? listen.update() : player.setSource(source())),
    audioOnly: (on) => audioOnly.show(on),
  });

  const drawEvent = ({ event }: { event: PublicEvent }) => {
    document.title = `${event.title} · Pressroom`;
    byId('event-title').textContent = event.title;
    byId('slate-title').textContent = event.title;
    video.setAttribute('aria-label', t('player.label', { title: event.title }));
    byId('slate-status').textContent = statusLine(event);
    // A scheduled event's stream is its looping slate; at the start the broadcast's is another one.
    if (shownStatus === 'scheduled' && event.status === 'live' && started) void player.start();
    shownStatus = event.status;
    byId('event-description').textContent = event.description;
    const status = byId('event-status');
    status.replaceChildren(
      event.status === 'live' ? h('span', { class: 'badge badge-live' }, t('status.badge_live')) : statusLine(event),
    );
  };
  store.watch(['event'], drawEvent);
  onLanguageChange(() => {
    drawEvent(store.state);
    drawSlate();
  });

  playButton.addEventListener('click', () => player.play());
  goLive.addEventListener('click', () => player.goLive());
  unmute.addEventListener('click', () => {
    video.muted = false;
    if (video.paused) player.play();
  });
  video.addEventListener('volumechange', () => show(unmute, video.muted));
  drawSlate();
  return player;
}
