import { Injectable } from '@nestjs/common';
import { FORGOTTEN_NAME, type ForgetMeResponse, type MyData, type RestrictionView } from '@pressroom/protocol';
import { DataSource, In } from 'typeorm';
import { Participant } from '../access/participant.entity';
import { SpeakerInvite } from '../access/speaker-invite.entity';
import { TokensService } from '../auth/tokens.service';
import { ChatMessage } from '../chat/chat-message.entity';
import { toChatMessageView } from '../chat/chat.service';
import { AppError } from '../common/app-error';
import { eraseDeletedRows } from '../common/erase-deleted';
import { toEventDetails } from '../events/event-views';
import { EventsService } from '../events/events.service';
import { Hand } from '../hands/hand.entity';
import { HandsService, toHandView } from '../hands/hands.service';
import { Question } from '../questions/question.entity';
import { QuestionVote } from '../questions/question-vote.entity';
import { toQuestionView } from '../questions/question-view';
import { QuestionsService } from '../questions/questions.service';
import { LiveNotifier } from '../realtime/live-notifier';
import { StageAppearance } from '../stage/stage-appearance.entity';
import { StageService } from '../stage/stage.service';

/** The tables that hold a participant's name or outlet (the forget erases them from their files). */
const NAMED_ENTITIES = [Participant, SpeakerInvite, ChatMessage, Question, Hand, StageAppearance];

/**
 * "My data": everything the server holds about one participant of an event, for them to download, and
 * "forget me", which replaces their name and outlet with `FORGOTTEN_NAME` wherever it is stored, erases
 * the old bytes from the database files, and updates what everyone connected sees.
 */
@Injectable()
export class MyDataService {
  private lastErase: Promise<void> = Promise.resolve();
  private queuedErase?: Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: TokensService,
    private readonly events: EventsService,
    private readonly questions: QuestionsService,
    private readonly hands: HandsService,
    private readonly stage: StageService,
    private readonly notifier: LiveNotifier,
  ) {}

  async collect(slug: string, token: string | undefined): Promise<MyData> {
    const { participant, event } = await this.caller(slug, token);
    const manager = this.dataSource.manager;
    const where = { eventId: event.id, participantId: participant.id };
    const [invite, chat, questions, votes, hands, stage] = await Promise.all([
      participant.inviteId ? manager.findOneBy(SpeakerInvite, { id: participant.inviteId }) : null,
      manager.find(ChatMessage, { where, order: { createdAt: 'ASC' } }),
      manager.find(Question, { where, order: { createdAt: 'ASC' } }),
      manager.findBy(QuestionVote, where),
      manager.find(Hand, { where, order: { raisedAt: 'ASC' } }),
      manager.find(StageAppearance, { where, order: { startedAt: 'ASC' } }),
    ]);
    const voted = votes.length
      ? await manager.findBy(Question, { eventId: event.id, id: In(votes.map((vote) => vote.questionId)) })
      : [];
    const details = toEventDetails(event);
    return {
      event: { slug: event.slug, title: event.title, retentionHours: event.retentionHours, purgeAt: details.purgeAt },
      exportedAt: new Date().toISOString(),
      identity: {
        participantId: participant.id,
        role: participant.role,
        name: participant.name,
        outlet: participant.outlet,
        joinedAt: participant.createdAt.toISOString(),
        muted: participant.muted,
        banned: participant.bannedAt !== null,
        inviteName: invite?.name ?? null,
      },
      chat: chat.map(toChatMessageView),
      questions: questions.map(toQuestionView),
      votes: voted.map((question) => ({ questionId: question.id, questionText: question.text })),
      hands: hands.map(toHandView),
      stage: stage.map(({ participantId, name, outlet, startedAt, endedAt }) => ({
        participantId,
        name,
        outlet,
        from: startedAt.toISOString(),
        to: endedAt?.toISOString() ?? null,
      })),
    };
  }

  async forget(slug: string, token: string | undefined): Promise<ForgetMeResponse> {
    const { participant, event } = await this.caller(slug, token);
    const where = { eventId: event.id, participantId: participant.id };
    const items = await this.dataSource.transaction(async (manager) => {
      // A speaker keeps a name to show in the studio and the chat; the audience becomes anonymous.
      const name = participant.role === 'speaker' ? FORGOTTEN_NAME : null;
      await manager.update(Participant, { id: participant.id }, { name, outlet: null });
      if (participant.inviteId)
        await manager.update(SpeakerInvite, { id: participant.inviteId }, { name: FORGOTTEN_NAME });
      const counts = await Promise.all([
        manager.update(ChatMessage, where, { authorName: FORGOTTEN_NAME, authorOutlet: null }),
        manager.update(Question, where, { name: FORGOTTEN_NAME, outlet: '' }),
        manager.update(Hand, where, { name: FORGOTTEN_NAME, outlet: '' }),
        manager.update(StageAppearance, where, { name: FORGOTTEN_NAME, outlet: '' }),
      ]);
      return counts.reduce((sum, result) => sum + (result.affected ?? 0), 0);
    });
    await this.eraseOldValues();
    await this.announce(event.id, participant);
    return { forgotten: true, items };
  }

  /**
   * The old values' bytes: SQLite's secure_delete zeroed them in the file, but the write-ahead log still
   * has them (checkpointed and truncated); PostgreSQL keeps them until VACUUM FULL rewrites the tables.
   * One erase at a time: forgets arriving meanwhile share the next one.
   */
  private eraseOldValues(): Promise<void> {
    if (this.queuedErase) return this.queuedErase;
    const erase = this.lastErase
      .catch(() => undefined)
      .then(() => {
        this.queuedErase = undefined;
        return eraseDeletedRows(this.dataSource, NAMED_ENTITIES);
      });
    this.queuedErase = erase;
    this.lastErase = erase;
    return erase;
  }

  /** Everyone connected sees the new name: the same events as any change of these items. */
  private async announce(eventId: string, participant: Participant): Promise<void> {
    const manager = this.dataSource.manager;
    const where = { eventId, participantId: participant.id };
    for (const message of await manager.findBy(ChatMessage, where)) {
      const view = toChatMessageView(message);
      if (message.status === 'visible') this.notifier.toEvent(eventId, 'chat:message', view);
      else this.notifier.toModerators(eventId, 'chat:message', view);
    }
    for (const question of await manager.findBy(Question, where)) {
      const view = toQuestionView(question);
      if (question.status === 'approved' || question.status === 'answered') {
        this.notifier.toEvent(eventId, 'question:updated', view);
      } else if (question.status === 'pending') {
        this.notifier.toModerators(eventId, 'question:updated', view);
      }
      // The broadcast's lower third shows the new byline.
      if (question.onAir) this.questions.observer.emit('onair', eventId, view);
    }
    this.notifier.toModerators(eventId, 'hand:queue', { hands: await this.hands.queue(eventId) });
    this.stage.renamed(participant.id, FORGOTTEN_NAME, '', eventId);
    const own = await this.hands.ownHandView(participant.id);
    this.notifier.toParticipant(participant.id, 'hand:status', { hand: own });
    if (participant.muted || participant.bannedAt) {
      const restriction: RestrictionView = {
        participantId: participant.id,
        name: null,
        outlet: null,
        role: participant.role,
        muted: participant.muted,
        banned: participant.bannedAt !== null,
      };
      this.notifier.toModerators(eventId, 'user:restriction', restriction);
    }
  }

  /**
   * The participant behind an access token of this event. A banned participant may still read and erase
   * what the server holds about them: the token's signature proves who they are.
   */
  private async caller(slug: string, token: string | undefined) {
    if (!token) throw new AppError('unauthorized', 'Send the access token you got when you joined');
    const claims = await this.tokens.verifyAccess(token);
    const event = await this.events.findBySlug(slug);
    if (event.status === 'purged')
      throw new AppError('event_purged', 'This event was purged: nothing about you is left');
    const participant = await this.dataSource.manager.findOneBy(Participant, { id: claims.sub });
    if (!participant || participant.eventId !== event.id || claims.eid !== event.id) {
      throw new AppError('unauthorized', 'This access is not for this event');
    }
    return { participant, event };
  }
}
