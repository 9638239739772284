/**
 * The page's state: the event, who I am, the chat, the questions and my hand, kept from the `/live`
 * snapshot and the events after it. Views watch the parts they draw. No DOM here.
 */
import {
  byQueueOrder,
  isPublicQuestion,
  LIMITS,
  type ChatMessageView,
  type HandView,
  type LiveState,
  type Me,
  type PublicEvent,
  type QuestionView,
} from '@pressroom/protocol';

export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting' | 'refused';

export interface ViewerState {
  readonly event: PublicEvent;
  /** Null until joined (as the join tells: see `joined`), then as the snapshots say. */
  readonly me: Me | null;
  readonly connection: ConnectionStatus;
  /** Visible messages, and my own ones awaiting approval (only I see those), oldest first. */
  readonly chat: readonly ChatMessageView[];
  /** Approved questions in queue order, then answered ones. */
  readonly questions: readonly QuestionView[];
  /** My questions no moderator has approved yet: only I see them. */
  readonly myPendingQuestions: readonly QuestionView[];
  readonly votedQuestionIds: ReadonlySet<string>;
  /** My raised hand, while it is up. */
  readonly hand: HandView | null;
}

type Part = keyof ViewerState;
type Listener = (state: ViewerState) => void;

const byCreation = (a: ChatMessageView, b: ChatMessageView) => a.createdAt.localeCompare(b.createdAt);
const isPublic = (question: QuestionView) => isPublicQuestion(question.status);

export class ViewerStore {
  #state: ViewerState;
  readonly #watchers: Array<{ parts: readonly Part[]; listener: Listener }> = [];

  constructor(event: PublicEvent) {
    this.#state = {
      event,
      me: null,
      connection: 'connecting',
      chat: [],
      questions: [],
      myPendingQuestions: [],
      votedQuestionIds: new Set(),
      hand: null,
    };
  }

  get state(): ViewerState {
    return this.#state;
  }

  /** Calls `listener` now, and after every change to one of `parts`. */
  watch(parts: readonly Part[], listener: Listener): void {
    this.#watchers.push({ parts, listener });
    listener(this.#state);
  }

  /** A (re)connection's snapshot replaces everything but what only I know: my items awaiting approval. */
  applySnapshot(live: LiveState): void {
    const sameMe = this.#state.me?.participantId === live.me.participantId;
    const known = new Set([...live.chat.map((m) => m.id), ...live.questions.map((q) => q.id)]);
    const myPendingChat = sameMe ? this.#state.chat.filter((m) => m.status === 'pending' && !known.has(m.id)) : [];
    this.#set({
      event: live.event,
      me: live.me,
      chat: [...live.chat.filter((m) => m.status === 'visible'), ...myPendingChat].sort(byCreation),
      questions: live.questions.filter(isPublic).sort(byQueueOrder),
      myPendingQuestions: sameMe ? this.#state.myPendingQuestions.filter((q) => !known.has(q.id)) : [],
      votedQuestionIds: new Set(live.votedQuestionIds),
      hand: live.hand,
    });
  }

  /**
   * Joined as `me` (the role and name the join was made with): drawn at once, the snapshot confirms it.
   * Joining as someone else drops what only the one before knew.
   */
  joined(me: Me): void {
    if (this.#state.me?.participantId === me.participantId) return;
    this.#set({
      me,
      chat: this.#state.chat.filter((m) => m.status !== 'pending'),
      myPendingQuestions: [],
      hand: null,
    });
  }

  setConnection(connection: ConnectionStatus): void {
    if (connection !== this.#state.connection) this.#set({ connection });
  }

  setEvent(event: PublicEvent): void {
    this.#set({ event });
  }

  setMuted(muted: boolean): void {
    if (this.#state.me) this.#set({ me: { ...this.#state.me, muted } });
  }

  /** A visible message from anyone, or my own one awaiting approval (from the reply to sending it). */
  putChatMessage(message: ChatMessageView): void {
    if (message.status === 'hidden') return this.removeChatMessage(message.id);
    const others = this.#state.chat.filter((m) => m.id !== message.id);
    const chat = [...others, message];
    if (others.length > 0 && byCreation(others[others.length - 1]!, message) > 0) chat.sort(byCreation);
    this.#set({ chat: chat.slice(-LIMITS.chatHistory) });
  }

  removeChatMessage(id: string): void {
    if (this.#state.chat.some((m) => m.id === id)) this.#set({ chat: this.#state.chat.filter((m) => m.id !== id) });
  }

  addMyPendingQuestion(question: QuestionView): void {
    this.#set({ myPendingQuestions: [...this.#state.myPendingQuestions, question] });
  }

  /** An approved, updated or answered question: in the list while public. */
  putQuestion(question: QuestionView): void {
    const others = this.#state.questions.filter((q) => q.id !== question.id);
    this.#set({
      questions: isPublic(question) ? [...others, question].sort(byQueueOrder) : others,
      myPendingQuestions: this.#state.myPendingQuestions.filter((q) => q.id !== question.id),
    });
  }

  removeQuestion(id: string): void {
    this.#set({
      questions: this.#state.questions.filter((q) => q.id !== id),
      myPendingQuestions: this.#state.myPendingQuestions.filter((q) => q.id !== id),
    });
  }

  /** The approved queue in its new order. */
  reorderQuestions(questionIds: readonly string[]): void {
    const positions = new Map(questionIds.map((id, index) => [id, index + 1]));
    const questions = this.#state.questions.map((q) =>
      q.status === 'approved' && positions.has(q.id) ? { ...q, position: positions.get(q.id)! } : q,
    );
    this.#set({ questions: questions.sort(byQueueOrder) });
  }

  /** My vote counted; `votes` is the count the server gave back. */
  voted(questionId: string, votes: number): void {
    this.#set({
      votedQuestionIds: new Set([...this.#state.votedQuestionIds, questionId]),
      questions: this.#state.questions.map((q) =>
        q.id === questionId ? { ...q, votes: Math.max(q.votes, votes) } : q,
      ),
    });
  }

  setHand(hand: HandView | null): void {
    this.#set({ hand });
  }

  #set(change: Partial<ViewerState>): void {
    this.#state = { ...this.#state, ...change };
    const changed = Object.keys(change) as Part[];
    for (const { parts, listener } of this.#watchers) {
      if (parts.some((part) => changed.includes(part))) listener(this.#state);
    }
  }
}
