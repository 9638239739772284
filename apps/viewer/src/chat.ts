/** The chat: messages as they come, and the form to post one within pre-moderation, slow mode and rate limits. */
import type { LiveConnection } from '@pressroom/live-client';
import { LIMITS, type ChatMessageView } from '@pressroom/protocol';
import { announce, byId, errorText, formatTime, h, renderList, setText, show } from './dom';
import { onLanguageChange, participantName, t, type PageKey } from './i18n';
import type { ViewerState, ViewerStore } from './store';

const STAFF_LABELS: Partial<Record<ChatMessageView['authorRole'], PageKey>> = {
  moderator: 'chat.moderator',
  speaker: 'chat.speaker',
};
/** Within this many pixels of the bottom, new messages keep the log scrolled to the end. */
const STICK_TO_END_PX = 48;

export function mountChat(store: ViewerStore, connection: LiveConnection): void {
  const log = byId('chat-log');
  const messages = byId('chat-messages');
  const empty = byId('chat-empty');
  const form = byId<HTMLFormElement>('chat-form');
  const input = byId<HTMLInputElement>('chat-text');
  const send = byId<HTMLButtonElement>('chat-send');
  const hint = byId('chat-hint');
  const error = byId('chat-error');
  const locked = byId('chat-locked');
  const readAloud = byId<HTMLInputElement>('chat-read-aloud');
  input.maxLength = LIMITS.chatText;
  let waitUntil = 0;
  let waitTimer = 0;

  connection.on('chat:message', (message) => store.putChatMessage(message));
  connection.on('chat:removed', ({ id }) => store.removeChatMessage(id));

  const drawMessages = ({ chat, me }: ViewerState) => {
    const atEnd = log.scrollHeight - log.scrollTop - log.clientHeight < STICK_TO_END_PX;
    renderList(
      messages,
      chat,
      (message) => message.id,
      // A new name (the author was forgotten) draws the message again.
      (message) => [message.status, message.authorName, message.authorOutlet ?? ''].join('|'),
      (message) => renderMessage(message, message.participantId === me?.participantId),
    );
    show(empty, chat.length === 0);
    if (atEnd) log.scrollTop = log.scrollHeight;
  };
  const drawForm = (state: ViewerState) => {
    const reason = lockedReason(state);
    show(form, reason === null);
    show(locked, reason !== null && state.me !== null);
    locked.textContent = reason ?? '';
    const { chatMode, slowModeSeconds } = state.event;
    hint.textContent = [
      chatMode === 'pre' ? t('chat.premoderated') : '',
      slowModeSeconds > 0 ? t('chat.slow_mode', { seconds: slowModeSeconds }) : '',
    ].join(' ');
  };
  store.watch(['chat', 'me'], drawMessages);
  store.watch(['me', 'event', 'connection'], drawForm);
  onLanguageChange(() => {
    drawMessages(store.state);
    drawForm(store.state);
  });

  readAloud.addEventListener('change', () => log.setAttribute('aria-live', readAloud.checked ? 'polite' : 'off'));

  /** Sending waits until the server's slow mode or rate limit allows it again; the button counts down. */
  const waitFor = (ms: number) => {
    waitUntil = Date.now() + ms;
    const tick = () => {
      const left = Math.ceil((waitUntil - Date.now()) / 1000);
      send.disabled = left > 0;
      setText(send, () => (left > 0 ? t('chat.wait', { seconds: left }) : t('chat.send')));
      if (left > 0) waitTimer = window.setTimeout(tick, 250);
    };
    window.clearTimeout(waitTimer);
    tick();
  };

  form.addEventListener('submit', async (submitted) => {
    submitted.preventDefault();
    const text = input.value.trim();
    if (!text || Date.now() < waitUntil) return;
    setText(error, '');
    send.disabled = true;
    const reply = await connection.send('chat:send', { text });
    send.disabled = false;
    if (!reply.ok) {
      const refusal = reply.error;
      setText(error, () => errorText(refusal, { seconds: store.state.event.slowModeSeconds }));
      if (reply.error.retryAfterMs) waitFor(reply.error.retryAfterMs);
      return;
    }
    input.value = '';
    store.putChatMessage(reply.message);
    if (reply.message.status === 'pending') announce(t('chat.sent_pending'));
    const { slowModeSeconds } = store.state.event;
    if (slowModeSeconds > 0 && !STAFF_LABELS[reply.message.authorRole]) waitFor(slowModeSeconds * 1000);
  });
}

/** Why this person cannot chat now, or null when they can. */
function lockedReason({ me, event, connection }: ViewerState): string | null {
  if (event.status === 'ended' || event.status === 'purged') return t('chat.closed');
  if (connection === 'refused') return t('connection.refused');
  if (!me) return t('connection.connecting');
  if (me.muted) return t('chat.muted');
  if (!me.name) return t('chat.name_needed');
  return null;
}

function renderMessage(message: ChatMessageView, mine: boolean): HTMLElement {
  const staff = STAFF_LABELS[message.authorRole];
  const details = [message.authorOutlet, staff && t(staff), formatTime(message.createdAt)];
  return h(
    'li',
    { class: message.status === 'pending' ? 'message pending' : 'message' },
    h('span', { class: 'message-author' }, participantName(message.authorName), mine ? ` ${t('chat.you')}` : ''),
    ' ',
    h('span', { class: 'message-meta' }, details.filter(Boolean).join(' · ')),
    h('div', {}, message.text),
    message.status === 'pending' && h('div', { class: 'message-meta' }, t('chat.pending')),
  );
}
