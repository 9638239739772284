/** A journalist's raised hand: up with an optional topic, down again, and what the moderators made of it. */
import type { LiveConnection } from '@pressroom/live-client';
import { LIMITS, type HandView } from '@pressroom/protocol';
import { announce, byId, errorText, setText, show } from './dom';
import { onLanguageChange, t } from './i18n';
import type { ViewerState, ViewerStore } from './store';

export function mountHands(store: ViewerStore, connection: LiveConnection): void {
  const section = byId('hand');
  const topicField = byId('hand-topic-field');
  const topic = byId<HTMLInputElement>('hand-topic');
  const status = byId('hand-status');
  const error = byId('hand-error');
  const toggle = byId<HTMLButtonElement>('hand-toggle');
  topic.maxLength = LIMITS.handTopic;
  /** Set while this page lowers the hand itself, so that only a moderator's doing is announced. */
  let lowering = false;

  connection.on('hand:status', ({ hand }) => {
    const before = store.state.hand;
    store.setHand(hand);
    if (hand?.status === 'acknowledged' && before?.status !== 'acknowledged') {
      announce(t('hand.acknowledged'));
    } else if (!hand && before && !lowering) {
      announce(t('hand.lowered'));
    }
  });

  const draw = ({ me, event, connection: online, hand }: ViewerState) => {
    const open = event.status === 'scheduled' || event.status === 'live';
    show(section, open && me?.role === 'journalist' && online !== 'refused');
    show(topicField, !hand);
    toggle.textContent = hand ? t('hand.lower') : t('hand.raise');
    status.textContent = hand ? describe(hand) : '';
  };
  store.watch(['me', 'event', 'connection', 'hand'], draw);
  onLanguageChange(() => draw(store.state));

  /** Each returns the refusal, or null. */
  const raise = async () => {
    const text = topic.value.trim();
    const reply = await connection.send('hand:raise', text ? { topic: text } : {});
    if (!reply.ok) return reply.error;
    store.setHand(reply.hand);
    topic.value = '';
    return null;
  };
  const lower = async () => {
    const reply = await connection.send('hand:lower', {});
    if (!reply.ok) return reply.error;
    store.setHand(null);
    return null;
  };

  toggle.addEventListener('click', async () => {
    setText(error, '');
    toggle.disabled = true;
    lowering = store.state.hand !== null;
    const refused = lowering ? await lower() : await raise();
    lowering = false;
    toggle.disabled = false;
    if (refused) setText(error, () => errorText(refused));
  });
}

function describe(hand: HandView): string {
  if (hand.status === 'acknowledged') return t('hand.acknowledged');
  return hand.topic ? t('hand.up_topic', { topic: hand.topic }) : t('hand.up');
}
