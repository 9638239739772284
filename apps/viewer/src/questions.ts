/** Questions: the approved queue (with the one on air), upvotes, my questions awaiting approval, and asking. */
import type { LiveConnection } from '@pressroom/live-client';
import { LIMITS, withOutlet, type QuestionView } from '@pressroom/protocol';
import { announce, byId, errorText, h, renderList, setText, show } from './dom';
import { onLanguageChange, participantName, t } from './i18n';
import type { ViewerState, ViewerStore } from './store';

export function mountQuestions(store: ViewerStore, connection: LiveConnection): void {
  const list = byId('question-list');
  const empty = byId('questions-empty');
  const voteError = byId('vote-error');
  const mine = byId('my-questions');
  const mineList = byId('my-question-list');
  const form = byId<HTMLFormElement>('ask-form');
  const text = byId<HTMLTextAreaElement>('ask-text');
  const error = byId('ask-error');
  const locked = byId('ask-locked');
  text.maxLength = LIMITS.questionText;

  connection.on('question:approved', (question) => {
    store.putQuestion(question);
    announce(t('questions.new', { by: byline(question) }));
  });
  connection.on('question:updated', (question) => {
    const before = store.state.questions.find((q) => q.id === question.id);
    store.putQuestion(question);
    if (question.onAir && !before?.onAir) announce(t('questions.on_air_now', { by: byline(question) }));
  });
  connection.on('question:removed', ({ id }) => store.removeQuestion(id));
  connection.on('question:reordered', ({ questionIds }) => store.reorderQuestions(questionIds));

  const vote = async (question: QuestionView) => {
    setText(voteError, '');
    const reply = await connection.send('question:vote', { questionId: question.id });
    if (reply.ok) store.voted(question.id, reply.votes);
    else if (reply.error.code === 'already_voted') store.voted(question.id, question.votes);
    else {
      const refusal = reply.error;
      setText(voteError, () => errorText(refusal));
    }
  };

  const drawQueue = ({ questions, votedQuestionIds }: ViewerState) => {
    renderList(
      list,
      questions,
      (question) => question.id,
      (q) => [q.status, q.onAir, q.votes, votedQuestionIds.has(q.id), q.text, q.name, q.outlet].join('|'),
      (question) => renderQuestion(question, votedQuestionIds.has(question.id), () => void vote(question)),
    );
    show(empty, questions.length === 0);
  };
  store.watch(['questions', 'votedQuestionIds'], drawQueue);

  store.watch(['myPendingQuestions'], ({ myPendingQuestions }) => {
    renderList(
      mineList,
      myPendingQuestions,
      (question) => question.id,
      (question) => question.text,
      (question) => h('li', { class: 'question' }, h('p', { class: 'question-text' }, question.text)),
    );
    show(mine, myPendingQuestions.length > 0);
  });

  const drawForm = (state: ViewerState) => {
    const reason = lockedReason(state);
    show(form, reason === null);
    show(locked, reason !== null && state.me !== null);
    locked.textContent = reason ?? '';
  };
  store.watch(['me', 'event', 'connection'], drawForm);
  onLanguageChange(() => {
    drawQueue(store.state);
    drawForm(store.state);
  });

  form.addEventListener('submit', async (submitted) => {
    submitted.preventDefault();
    const question = text.value.trim();
    if (!question) return;
    setText(error, '');
    const button = form.querySelector('button')!;
    button.disabled = true;
    const reply = await connection.send('question:ask', { text: question });
    button.disabled = false;
    if (!reply.ok) {
      const refusal = reply.error;
      setText(error, () => errorText(refusal));
      return;
    }
    text.value = '';
    store.addMyPendingQuestion(reply.question);
    announce(t('questions.sent'));
  });
}

/** Who asked: the name and outlet ("A participant" alone, in the page's language, once forgotten). */
export const byline = ({ name, outlet }: Pick<QuestionView, 'name' | 'outlet'>) =>
  withOutlet(participantName(name), outlet);

/** Why this person cannot ask now, or null when they can. */
function lockedReason({ me, event, connection }: ViewerState): string | null {
  if (event.status === 'ended' || event.status === 'purged') return t('event.ended');
  if (!event.questionsEnabled) return t('questions.closed');
  if (connection === 'refused') return t('connection.refused');
  if (me?.role !== 'journalist') return t('questions.outlet_needed');
  return null;
}

function renderQuestion(question: QuestionView, voted: boolean, vote: () => void): HTMLElement {
  const answered = question.status === 'answered';
  const classes = ['question', question.onAir ? 'on-air' : '', answered ? 'answered' : ''].filter(Boolean);
  const votes = h('span', { class: 'votes' }, t('questions.votes', { count: question.votes }));
  // Once voted, the button stays focusable (aria-disabled, not disabled): the keyboard keeps its place.
  const voteButton = h(
    'button',
    { type: 'button', class: 'secondary', 'aria-pressed': voted ? 'true' : 'false', 'aria-disabled': voted && 'true' },
    voted ? t('questions.upvoted') : t('questions.upvote'),
  );
  if (!voted) voteButton.addEventListener('click', vote);
  return h(
    'li',
    { class: classes.join(' ') },
    h(
      'p',
      { class: 'question-meta' },
      question.onAir && h('span', { class: 'badge badge-on-air' }, t('questions.on_air')),
      answered && h('span', { class: 'badge badge-answered' }, t('questions.answered')),
      h('strong', {}, participantName(question.name)),
      question.outlet,
    ),
    h('p', { class: 'question-text' }, question.text),
    h('div', { class: 'question-actions' }, answered ? null : voteButton, votes),
  );
}
