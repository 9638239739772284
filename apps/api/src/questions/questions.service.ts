import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { InjectRepository } from '@nestjs/typeorm';
import type { EventStats, QuestionView, Role } from '@pressroom/protocol';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { ParticipantsService } from '../access/participants.service';
import type { Session } from '../common/session';
import { AppError, notFound } from '../common/app-error';
import { isUniqueViolation } from '../common/db-errors';
import type { EventPurgeStep } from '../common/event-purge';
import { newId } from '../common/ids';
import { consumeOrThrow, RateLimits } from '../common/rate-limit';
import { Environment } from '../config/environment';
import { EventsService } from '../events/events.service';
import { AuditService } from '../moderation/audit.service';
import { LiveNotifier } from '../realtime/live-notifier';
import { QuestionVote } from './question-vote.entity';
import { byQueueOrder, isPublic, toQuestionView } from './question-view';
import { Question } from './question.entity';

/** Vote counts change often in a large audience: their broadcasts are batched per question. */
const VOTE_BROADCAST_MS = 250;

/** What the questions domain tells the rest of the server. */
export interface QuestionsObserverEvents {
  /** The question on air in an event (null when cleared), for the broadcast's lower third. */
  onair: [eventId: string, question: QuestionView | null];
}

@Injectable()
export class QuestionsService implements OnModuleDestroy, EventPurgeStep {
  readonly purgedEntities = [QuestionVote, Question];

  private readonly rateLimiter;
  private readonly votesToBroadcast = new Set<string>();
  private voteBroadcastTimer?: NodeJS.Timeout;
  /** Listeners must not throw: they run inside the change that emits. */
  readonly observer = new EventEmitter<QuestionsObserverEvents>();

  constructor(
    @InjectRepository(Question) private readonly questions: Repository<Question>,
    @InjectRepository(QuestionVote) private readonly votes: Repository<QuestionVote>,
    private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly participants: ParticipantsService,
    private readonly audit: AuditService,
    private readonly notifier: LiveNotifier,
    limits: RateLimits,
    environment: Environment,
  ) {
    this.rateLimiter = limits.perWindow(
      'questions',
      environment.QUESTION_RATE_LIMIT,
      environment.QUESTION_RATE_WINDOW_SECONDS,
    );
  }

  async ask(session: Session, text: string): Promise<QuestionView> {
    const event = await this.events.findById(session.eventId);
    EventsService.assertOpenForAudience(event);
    if (!event.questionsEnabled) throw new AppError('questions_closed', 'Questions are closed for this event');
    const journalist = await this.participants.get(session.participantId);
    await consumeOrThrow(this.rateLimiter, journalist.id, 'rate_limited', 'You are asking questions too fast');
    const question = await this.questions.save({
      id: newId(),
      eventId: event.id,
      participantId: journalist.id,
      name: journalist.name ?? '',
      outlet: journalist.outlet ?? '',
      text,
      status: 'pending',
      position: null,
      votes: 0,
      onAir: false,
      createdAt: new Date(),
    });
    const view = toQuestionView(question);
    this.notifier.toModerators(event.id, 'question:pending', view);
    return view;
  }

  /** One upvote per audience member and question; the vote table's key settles races. */
  async vote(session: Session, questionId: string): Promise<number> {
    EventsService.assertOpenForAudience(await this.events.findById(session.eventId));
    const question = await this.find(session.eventId, questionId);
    if (question.status !== 'approved') throw new AppError('invalid_state', 'Only questions in the queue take votes');
    try {
      await this.votes.insert({ questionId, participantId: session.participantId, eventId: session.eventId });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('already_voted', 'You already voted for this question');
      throw error;
    }
    await this.questions.increment({ id: questionId }, 'votes', 1);
    this.scheduleVoteBroadcast(questionId);
    return question.votes + 1;
  }

  async approve(session: Session, questionId: string): Promise<void> {
    const question = await this.find(session.eventId, questionId);
    if (question.status !== 'pending') throw new AppError('invalid_state', `This question is ${question.status}`);
    const last = await this.questions.findOne({
      where: { eventId: question.eventId, status: 'approved' },
      order: { position: 'DESC' },
    });
    Object.assign(question, { status: 'approved', position: (last?.position ?? 0) + 1 });
    await this.questions.save(question);
    await this.audit.record(session, 'question:approve', 'question', question.id);
    this.notifier.toEvent(question.eventId, 'question:approved', toQuestionView(question));
  }

  /** A rejected question is gone for everyone; the audience never saw it if it was pending. */
  async reject(session: Session, questionId: string): Promise<void> {
    const question = await this.find(session.eventId, questionId);
    if (question.status === 'rejected') return;
    const wasPublic = isPublic(question.status);
    const wasOnAir = question.onAir;
    Object.assign(question, { status: 'rejected', onAir: false, position: null });
    await this.questions.save(question);
    if (wasOnAir) this.observer.emit('onair', question.eventId, null);
    await this.audit.record(session, 'question:reject', 'question', question.id);
    if (wasPublic) this.notifier.toEvent(question.eventId, 'question:removed', { id: question.id });
    else {
      this.notifier.toModerators(question.eventId, 'question:removed', { id: question.id });
      // Its asker holds it as "awaiting approval": they learn it was not taken.
      this.notifier.toParticipant(question.participantId, 'question:removed', { id: question.id });
    }
  }

  async edit(session: Session, questionId: string, text: string): Promise<void> {
    const question = await this.find(session.eventId, questionId);
    if (question.status === 'rejected') throw new AppError('invalid_state', 'This question was rejected');
    question.text = text;
    await this.questions.save(question);
    await this.audit.record(session, 'question:edit', 'question', question.id);
    this.sendUpdate(question);
  }

  /** Takes the whole approved queue in its new order. */
  async order(session: Session, questionIds: string[]): Promise<void> {
    const queue = await this.questions.findBy({ eventId: session.eventId, status: 'approved' });
    const queued = new Set(queue.map((question) => question.id));
    const given = new Set(questionIds);
    if (given.size !== questionIds.length || given.size !== queued.size || questionIds.some((id) => !queued.has(id))) {
      throw new AppError('invalid_order', 'Send every question of the approved queue exactly once');
    }
    await this.dataSource.transaction(async (manager) => {
      for (const [index, id] of questionIds.entries()) await manager.update(Question, { id }, { position: index + 1 });
    });
    this.notifier.toEvent(session.eventId, 'question:reordered', { questionIds });
  }

  async markAnswered(session: Session, questionId: string): Promise<void> {
    const question = await this.find(session.eventId, questionId);
    if (question.status !== 'approved') throw new AppError('invalid_state', `This question is ${question.status}`);
    const wasOnAir = question.onAir;
    Object.assign(question, { status: 'answered', onAir: false });
    await this.questions.save(question);
    if (wasOnAir) this.observer.emit('onair', question.eventId, null);
    await this.audit.record(session, 'question:answered', 'question', question.id);
    this.sendUpdate(question);
  }

  /** At most one question is on air per event; `null` clears the air. Asking for what is already so changes nothing. */
  async putOnAir(session: Session, questionId: string | null): Promise<void> {
    const next = questionId ? await this.find(session.eventId, questionId) : null;
    if (next && next.status !== 'approved')
      throw new AppError('invalid_state', 'Only an approved question can go on air');
    const current = await this.questions.findBy({ eventId: session.eventId, onAir: true });
    const unchanged = next ? next.onAir : current.length === 0;
    if (unchanged) return;
    for (const question of current.filter((q) => q.id !== next?.id)) {
      question.onAir = false;
      await this.questions.save(question);
      this.sendUpdate(question);
    }
    if (next) {
      next.onAir = true;
      await this.questions.save(next);
      this.sendUpdate(next);
    }
    this.observer.emit('onair', session.eventId, next ? toQuestionView(next) : null);
    await this.audit.record(
      session,
      next ? 'question:onAir' : 'question:offAir',
      'question',
      next?.id ?? current[0].id,
    );
  }

  /** What a role sees, in queue order: the queue and answered ones, and for moderators the pending ones too. */
  async visibleTo(eventId: string, role: Role): Promise<QuestionView[]> {
    const statuses = role === 'moderator' ? ['approved', 'answered', 'pending'] : ['approved', 'answered'];
    const questions = await this.questions.findBy({ eventId, status: In(statuses) });
    return questions.sort(byQueueOrder).map(toQuestionView);
  }

  async votedBy(participantId: string): Promise<string[]> {
    const votes = await this.votes.find({ where: { participantId }, select: { questionId: true } });
    return votes.map((vote) => vote.questionId);
  }

  async transcript(eventId: string): Promise<QuestionView[]> {
    const questions = await this.questions.findBy({ eventId });
    return questions.sort(byQueueOrder).map(toQuestionView);
  }

  /** The purge: every question and vote of the event goes; how many were asked and approved stays. */
  async purgeEvent(
    manager: EntityManager,
    eventId: string,
  ): Promise<Pick<EventStats, 'questions' | 'questionsApproved'>> {
    const [questions, questionsApproved] = await Promise.all([
      manager.countBy(Question, { eventId }),
      manager.countBy(Question, { eventId, status: In(['approved', 'answered']) }),
    ]);
    await manager.delete(QuestionVote, { eventId });
    await manager.delete(Question, { eventId });
    return { questions, questionsApproved };
  }

  onModuleDestroy(): void {
    clearTimeout(this.voteBroadcastTimer);
  }

  private sendUpdate(question: Question): void {
    const view = toQuestionView(question);
    if (isPublic(question.status)) this.notifier.toEvent(question.eventId, 'question:updated', view);
    else this.notifier.toModerators(question.eventId, 'question:updated', view);
  }

  private scheduleVoteBroadcast(questionId: string): void {
    this.votesToBroadcast.add(questionId);
    this.voteBroadcastTimer ??= setTimeout(() => void this.broadcastVotes(), VOTE_BROADCAST_MS);
  }

  private async broadcastVotes(): Promise<void> {
    const ids = [...this.votesToBroadcast];
    this.votesToBroadcast.clear();
    this.voteBroadcastTimer = undefined;
    const questions = await this.questions.findBy({ id: In(ids) });
    for (const question of questions) this.sendUpdate(question);
  }

  private async find(eventId: string, questionId: string): Promise<Question> {
    const question = await this.questions.findOneBy({ id: questionId, eventId });
    if (!question) throw notFound('Question');
    return question;
  }
}
