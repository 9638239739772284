import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { ChatMessageView, EventStats, Role } from '@pressroom/protocol';
import { LIMITS } from '@pressroom/protocol';
import { EntityManager, In, Repository } from 'typeorm';
import { ParticipantsService } from '../access/participants.service';
import type { Session } from '../common/session';
import { AppError, notFound } from '../common/app-error';
import type { EventPurgeStep } from '../common/event-purge';
import { newId } from '../common/ids';
import { consumeOrThrow, RateLimits } from '../common/rate-limit';
import { Environment } from '../config/environment';
import { EventsService } from '../events/events.service';
import { AuditService } from '../moderation/audit.service';
import { LiveNotifier } from '../realtime/live-notifier';
import { ChatMessage } from './chat-message.entity';

const STAFF: readonly Role[] = ['moderator', 'speaker'];

export function toChatMessageView(message: ChatMessage): ChatMessageView {
  return {
    id: message.id,
    participantId: message.participantId,
    authorName: message.authorName,
    authorOutlet: message.authorOutlet,
    authorRole: message.authorRole,
    text: message.text,
    status: message.status,
    createdAt: message.createdAt.toISOString(),
  };
}

@Injectable()
export class ChatService implements EventPurgeStep {
  readonly purgedEntities = [ChatMessage];

  private readonly rateLimiter;
  private readonly slowModeLimiters = new Map<number, ReturnType<RateLimits['perWindow']>>();

  constructor(
    @InjectRepository(ChatMessage) private readonly messages: Repository<ChatMessage>,
    private readonly events: EventsService,
    private readonly participants: ParticipantsService,
    private readonly audit: AuditService,
    private readonly notifier: LiveNotifier,
    private readonly limits: RateLimits,
    environment: Environment,
  ) {
    this.rateLimiter = limits.perWindow('chat', environment.CHAT_RATE_LIMIT, environment.CHAT_RATE_WINDOW_SECONDS);
  }

  /** Staff messages are visible at once; audience messages wait for approval when the event pre-moderates. */
  async send(session: Session, text: string): Promise<ChatMessageView> {
    const event = await this.events.findById(session.eventId);
    EventsService.assertOpenForAudience(event);
    const author = await this.participants.get(session.participantId);
    if (author.muted) throw new AppError('muted', 'A moderator muted you in this chat');
    if (!author.name) throw new AppError('name_required', 'Give a display name to take part in the chat');
    const isStaff = STAFF.includes(author.role);
    if (!isStaff) {
      await consumeOrThrow(this.rateLimiter, author.id, 'rate_limited', 'You are sending messages too fast');
      if (event.slowModeSeconds > 0) {
        await consumeOrThrow(
          this.slowMode(event.slowModeSeconds),
          `${event.id}:${author.id}`,
          'slow_mode',
          `Slow mode: one message every ${event.slowModeSeconds} s`,
        );
      }
    }
    const message = await this.messages.save({
      id: newId(),
      eventId: event.id,
      participantId: author.id,
      authorName: author.name,
      authorOutlet: author.outlet,
      authorRole: author.role,
      text,
      status: isStaff || event.chatMode === 'post' ? 'visible' : 'pending',
      createdAt: new Date(),
    });
    const view = toChatMessageView(message);
    if (message.status === 'pending') this.notifier.toModerators(event.id, 'chat:message', view);
    else this.notifier.toEvent(event.id, 'chat:message', view);
    return view;
  }

  async approve(session: Session, messageId: string): Promise<void> {
    const message = await this.find(session.eventId, messageId);
    if (message.status !== 'pending') throw new AppError('invalid_state', `This message is ${message.status}`);
    message.status = 'visible';
    await this.messages.save(message);
    await this.audit.record(session, 'chat:approve', 'chat', message.id);
    this.notifier.toEvent(message.eventId, 'chat:message', toChatMessageView(message));
  }

  async hide(session: Session, messageId: string): Promise<void> {
    const message = await this.find(session.eventId, messageId);
    if (message.status === 'hidden') return;
    const wasVisible = message.status === 'visible';
    message.status = 'hidden';
    await this.messages.save(message);
    await this.audit.record(session, 'chat:hide', 'chat', message.id);
    if (wasVisible) this.notifier.toEvent(message.eventId, 'chat:removed', { id: message.id });
    else {
      this.notifier.toModerators(message.eventId, 'chat:removed', { id: message.id });
      // Its author holds it as "awaiting approval": they learn it will not be shown.
      this.notifier.toParticipant(message.participantId, 'chat:removed', { id: message.id });
    }
  }

  /** The latest messages a role may see, oldest first. */
  async recent(eventId: string, role: Role): Promise<ChatMessageView[]> {
    const statuses = role === 'moderator' ? ['visible', 'pending'] : ['visible'];
    const latest = await this.messages.find({
      where: { eventId, status: In(statuses) },
      order: { createdAt: 'DESC' },
      take: LIMITS.chatHistory,
    });
    return latest.reverse().map(toChatMessageView);
  }

  async transcript(eventId: string): Promise<ChatMessageView[]> {
    const all = await this.messages.find({ where: { eventId }, order: { createdAt: 'ASC' } });
    return all.map(toChatMessageView);
  }

  /** The purge: every message of the event goes; their number stays. */
  async purgeEvent(manager: EntityManager, eventId: string): Promise<Pick<EventStats, 'chatMessages'>> {
    const chatMessages = await manager.countBy(ChatMessage, { eventId });
    await manager.delete(ChatMessage, { eventId });
    return { chatMessages };
  }

  private async find(eventId: string, messageId: string): Promise<ChatMessage> {
    const message = await this.messages.findOneBy({ id: messageId, eventId });
    if (!message) throw notFound('Message');
    return message;
  }

  private slowMode(seconds: number) {
    let limiter = this.slowModeLimiters.get(seconds);
    if (!limiter) {
      limiter = this.limits.perWindow(`slow-mode-${seconds}`, 1, seconds);
      this.slowModeLimiters.set(seconds, limiter);
    }
    return limiter;
  }
}
