/** Questions: the approved queue (with the one on air), upvotes, my questions awaiting approval, and asking. */
import type { LiveConnection } from '@pressroom/live-client';
import { LIMITS, type QuestionView } from '@pressroom/protocol';
import { announce, byId, h, renderList, show } from './dom';
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
    announce(`New question from ${byline(question)}.`);
  });
  connection.on('question:updated', (question) => {
    const before = store.state.questions.find((q) => q.id === question.id);
    store.putQuestion(question);
    if (question.onAir && !before?.onAir) announce(`On air: the question from ${byline(question)}.`);
  });
  connection.on('question:removed', ({ id }) => store.removeQuestion(id));
  connection.on('question:reordered', ({ questionIds }) => store.reorderQuestions(questionIds));

  const vote = async (question: QuestionView) => {
    voteError.textContent = '';
    const reply = await connection.send('question:vote', { questionId: question.id });
    if (reply.ok) store.voted(question.id, reply.votes);
    else if (reply.error.code === 'already_voted') store.voted(question.id, question.votes);
    else voteError.textContent = reply.error.message;
  };

  store.watch(['questions', 'votedQuestionIds'], ({ questions, votedQuestionIds }) => {
    renderList(
      list,
      questions,
      (question) => question.id,
      (q) => [q.status, q.onAir, q.votes, votedQuestionIds.has(q.id), q.text].join('|'),
      (question) => renderQuestion(question, votedQuestionIds.has(question.id), () => void vote(question)),
    );
    show(empty, questions.length === 0);
  });

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

  store.watch(['me', 'event', 'connection'], (state) => {
    const reason = lockedReason(state);
    show(form, reason === null);
    show(locked, reason !== null && state.me !== null);
    locked.textContent = reason ?? '';
  });

  form.addEventListener('submit', async (submitted) => {
    submitted.preventDefault();
    const question = text.value.trim();
    if (!question) return;
    error.textContent = '';
    const button = form.querySelector('button')!;
    button.disabled = true;
    const reply = await connection.send('question:ask', { text: question });
    button.disabled = false;
    if (!reply.ok) {
      error.textContent = reply.error.message;
      return;
    }
    text.value = '';
    store.addMyPendingQuestion(reply.question);
    announce('Your question was sent. It appears in the list once a moderator approves it.');
  });
}

const byline = (question: QuestionView) => `${question.name}, ${question.outlet}`;

/** Why this person cannot ask now, or null when they can. */
function lockedReason({ me, event, connection }: ViewerState): string | null {
  if (event.status === 'ended' || event.status === 'purged') return 'The event has ended.';
  if (!event.questionsEnabled) return 'Questions are closed for now.';
  if (connection === 'refused') return 'You are no longer connected to this event.';
  if (me?.role !== 'journalist') return 'To ask a question, give your name and outlet under “Take part”.';
  return null;
}

function renderQuestion(question: QuestionView, voted: boolean, vote: () => void): HTMLElement {
  const answered = question.status === 'answered';
  const classes = ['question', question.onAir ? 'on-air' : '', answered ? 'answered' : ''].filter(Boolean);
  const votes = h('span', { class: 'votes' }, question.votes === 1 ? '1 vote' : `${question.votes} votes`);
  // Once voted, the button stays focusable (aria-disabled, not disabled): the keyboard keeps its place.
  const voteButton = h(
    'button',
    { type: 'button', class: 'secondary', 'aria-pressed': voted ? 'true' : 'false', 'aria-disabled': voted && 'true' },
    voted ? 'Upvoted' : 'Upvote',
  );
  if (!voted) voteButton.addEventListener('click', vote);
  return h(
    'li',
    { class: classes.join(' ') },
    h(
      'p',
      { class: 'question-meta' },
      question.onAir && h('span', { class: 'badge badge-on-air' }, 'On air'),
      answered && h('span', { class: 'badge badge-answered' }, 'Answered'),
      h('strong', {}, question.name),
      question.outlet,
    ),
    h('p', { class: 'question-text' }, question.text),
    h('div', { class: 'question-actions' }, answered ? null : voteButton, votes),
  );
}
