/**
 * The audience page. `/` is a short landing; `/:slug` is an event: it joins (asking for the password when
 * the event has one), plays the broadcast, and follows the conversation over `/live`.
 */
import { ApiError, LiveConnection, type LiveStatusChange } from '@pressroom/live-client';
import {
  DEFAULT_UI_LANGUAGE,
  isUiLanguage,
  type ActionError,
  type MyStageView,
  type PublicEvent,
} from '@pressroom/protocol';
import { fetchEvent } from './api';
import { mountChat } from './chat';
import type { GuestPage } from './guest';
import { announce, byId, errorText, setText, show } from './dom';
import { mountHands } from './hands';
import { chosenLanguage, loadLaterMessages, pageLanguage, t, useLanguage, type PageKey } from './i18n';
import { mountLanguageMenu } from './language-menu';
import { mountIdentity } from './identity';
import { askPassword, EventJoin, expectedMe } from './join';
import { mountFooter, mountMyData, revealFooter } from './privacy';
import { mountQuestions } from './questions';
import type { Identity, RememberedAccess } from './remembered';
import { mountStage, statusLine } from './stage';
import { ViewerStore, type ConnectionStatus } from './store';
import './styles.css';

/** A refused connection is joined again by itself at most this often, so a lasting refusal cannot loop. */
const REJOIN_INTERVAL_MS = 60_000;
const CONNECTION_NOTES: Record<ConnectionStatus, PageKey | null> = {
  connecting: null,
  online: null,
  reconnecting: 'connection.reconnecting',
  refused: 'connection.refused',
};

/** What the page shows of a status change: `online` comes with the snapshot; our own `close()` changes nothing. */
function shownConnection({ status, reason }: LiveStatusChange): ConnectionStatus | null {
  switch (status) {
    case 'idle':
    case 'connecting':
      return 'connecting';
    case 'reconnecting':
      return 'reconnecting';
    case 'connected':
      return null;
    case 'closed':
      return reason === null ? null : 'refused';
  }
}

function eventSlug(pathname: string): string | null {
  const [first] = pathname.split('/').filter(Boolean);
  if (!first) return null;
  try {
    return decodeURIComponent(first);
  } catch {
    return first;
  }
}

/** A message of the catalog, or a function called again when the language changes. */
type Text = PageKey | (() => string);
const textOf = (text: Text) => (typeof text === 'string' ? () => t(text) : text);

function showProblem(title: Text, text: Text): void {
  show(byId('event'), false);
  revealFooter();
  setText(byId('problem-title'), textOf(title));
  setText(byId('problem-text'), textOf(text));
  show(byId('problem'), true);
}

/** Moderators locked joining: those already in stay, nobody new comes in until they unlock it. */
function showJoinLocked(): void {
  showProblem('problem.locked_title', 'problem.locked');
}

/**
 * The stage's invitation flow (guest.ts): only a journalist can be invited on stage, so only a journalist's
 * page fetches it, as a chunk, once joined as one. The snapshot that came before it is handed over.
 */
function mountGuestOnce(store: ViewerStore, page: GuestPage): void {
  let snapshot: MyStageView | null | undefined;
  const stopKeeping = page.connection.on('state', ({ myStage }) => (snapshot = myStage));
  let loading = false;
  store.watch(['me'], ({ me }) => {
    if (me?.role !== 'journalist' || loading) return;
    loading = true;
    void Promise.all([import('./guest'), loadLaterMessages()]).then(([{ mountGuest }]) => {
      stopKeeping();
      mountGuest(store, page, snapshot);
    });
  });
}

async function openEvent(slug: string): Promise<void> {
  let event: PublicEvent;
  try {
    event = await fetchEvent(slug);
  } catch (failure) {
    const missing = failure instanceof ApiError && failure.code === 'not_found';
    return missing
      ? showProblem('problem.not_found_title', 'problem.not_found')
      : showProblem('problem.load_title', () => failureText(failure));
  }
  const { title } = event;
  if (event.status === 'purged') return showProblem(() => title, 'problem.purged');
  // Served as a plain file (a CDN, not this server): the event's language still applies unless one was picked.
  if (!chosenLanguage() && isUiLanguage(event.language) && event.language !== pageLanguage()) {
    await useLanguage(event.language);
    byId<HTMLSelectElement>('language').value = event.language;
  }
  show(byId('event'), true);

  const store = new ViewerStore(event);
  const joiner = new EventJoin(slug, event.passwordRequired);
  const connectionNote = byId('connection');
  /** Why the server refused this page, in the page's language. */
  let refusal: (() => string) | null = null;
  let lastRejoin = 0;

  const connection = new LiveConnection();
  /** The access this page joined with: the journalist's key to the studio once on stage. */
  let access: RememberedAccess | null = null;
  const player = mountStage(store, slug, () => askPasswordAgain());

  const enter = (joined: RememberedAccess, startPlayer: boolean) => {
    // Drawn as this person at once, so nothing moves when the live state confirms it.
    access = joined;
    const me = expectedMe(joined);
    if (me) store.joined(me);
    show(byId('watch'), true);
    refusal = null;
    connection.connect(joined.accessToken);
    if (startPlayer) void player.start();
  };
  const currentIdentity = (): Identity | null =>
    store.state.me?.name ? { name: store.state.me.name, outlet: store.state.me.outlet ?? '' } : null;

  /** The stream wants the password (it changed, or the pass expired): ask for it and join again. */
  const askPasswordAgain = () => {
    joiner.forget();
    connection.close();
    askPassword(async (password) => enter(await joiner.join(currentIdentity(), password), true));
  };

  const connectionRefused = async (error: ActionError) => {
    if (error.code === 'banned' || Date.now() - lastRejoin < REJOIN_INTERVAL_MS) {
      refusal = () => errorText(error);
      return store.setConnection('refused');
    }
    // The remembered access expired or was revoked: join afresh as the same person.
    lastRejoin = Date.now();
    joiner.forget();
    if (joiner.needsPassword) return askPasswordAgain();
    try {
      enter(await joiner.join(currentIdentity()), false);
    } catch (failure) {
      const code = failure instanceof ApiError ? failure.code : null;
      if (code === 'wrong_password' || code === 'password_required') return askPasswordAgain();
      refusal = failure instanceof Error ? () => failureText(failure) : () => errorText(error);
      store.setConnection('refused');
    }
  };

  connection.onStatus((change) => {
    const shown = shownConnection(change);
    if (shown) store.setConnection(shown);
    if (change.refusal) void connectionRefused(change.refusal);
  });
  connection.on('state', (state) => {
    store.applySnapshot(state);
    store.setConnection('online');
    revealFooter();
  });
  connection.on('event:status', ({ event: changed }) => {
    const before = store.state.event.status;
    store.setEvent(changed);
    if (changed.status !== before) announce(statusLine(changed));
  });
  connection.on('user:status', ({ muted }) => {
    store.setMuted(muted);
    announce(muted ? t('chat.muted') : t('chat.unmuted'));
  });
  // The server's reason is always the same (a moderator's ban): the catalog says it in the page's language.
  connection.on('user:banned', () => (refusal = () => t('error.banned')));

  store.watch(['connection'], ({ connection: status }) => {
    const note = CONNECTION_NOTES[status];
    const text = status === 'refused' && refusal ? refusal : () => (note ? t(note) : '');
    setText(connectionNote, text);
    show(connectionNote, connectionNote.textContent !== '');
  });
  mountIdentity(store, {
    joinAs: async (identity, password) => enter(await joiner.join(identity, password), false),
    needsPassword: () => joiner.needsPassword,
  });
  mountMyData(store, slug, {
    token: () => access?.accessToken ?? null,
    // Forgotten by the server: this browser forgets its access too and starts over as an anonymous viewer.
    forgotten: () => {
      joiner.forget();
      location.reload();
    },
  });
  mountQuestions(store, connection);
  mountHands(store, connection);
  mountChat(store, connection);
  mountGuestOnce(store, { connection, player, access: () => access });

  const remembered = joiner.remembered();
  if (remembered) return enter(remembered, true);
  if (event.joinLocked) return showJoinLocked();
  if (event.passwordRequired) return askPassword(async (password) => enter(await joiner.join(null, password), true));
  try {
    enter(await joiner.join(null), true);
  } catch (failure) {
    if (failure instanceof ApiError && failure.code === 'join_locked') return showJoinLocked();
    showProblem('problem.join_title', () => failureText(failure));
  }
}

/** A failed request's reason for people, in the page's language. */
function failureText(failure: unknown): string {
  if (failure instanceof ApiError) return errorText(failure);
  return failure instanceof Error ? failure.message : t('problem.try_later');
}

/**
 * The page's language: this person's pick from the menu, else the one the server sent the page in (from
 * the event's language and the browser's, see apps/api/src/web/frontends.ts). Its catalog is preloaded.
 */
async function start(): Promise<void> {
  const served = document.documentElement.lang;
  await useLanguage(chosenLanguage() ?? (isUiLanguage(served) ? served : DEFAULT_UI_LANGUAGE));
  mountLanguageMenu();
  const slug = eventSlug(location.pathname);
  mountFooter(slug);
  if (slug === null) {
    show(byId('landing'), true);
    revealFooter();
  } else void openEvent(slug);
}

void start();
