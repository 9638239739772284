import { Injectable } from '@nestjs/common';
import type { Counters, LiveState } from '@pressroom/protocol';
import { ParticipantsService } from '../access/participants.service';
import { CaptionsService } from '../captions/captions.service';
import type { Session } from '../common/session';
import { CrewService } from '../crew/crew.service';
import { ChatService } from '../chat/chat.service';
import { toPublicEvent } from '../events/event-views';
import { EventsService } from '../events/events.service';
import { HandsService } from '../hands/hands.service';
import { RestrictionsService } from '../moderation/restrictions.service';
import { QuestionsService } from '../questions/questions.service';
import { LiveNotifier } from '../realtime/live-notifier';
import { rooms } from '../realtime/rooms';
import { StageService } from '../stage/stage.service';

/** Assembles the `state` snapshot a role is entitled to, and the moderators' counters. */
@Injectable()
export class LiveStateService {
  constructor(
    private readonly events: EventsService,
    private readonly participants: ParticipantsService,
    private readonly chat: ChatService,
    private readonly questions: QuestionsService,
    private readonly hands: HandsService,
    private readonly restrictions: RestrictionsService,
    private readonly notifier: LiveNotifier,
    private readonly stage: StageService,
    private readonly crew: CrewService,
    private readonly captions: CaptionsService,
  ) {}

  async snapshot(session: Session): Promise<LiveState> {
    const isModerator = session.role === 'moderator';
    const [event, me, chat, questions, votedQuestionIds, hand, hands, counters, restrictions, crew, captions, stage] =
      await Promise.all([
        this.events.findById(session.eventId),
        this.participants.get(session.participantId),
        this.chat.recent(session.eventId, session.role),
        this.questions.visibleTo(session.eventId, session.role),
        this.questions.votedBy(session.participantId),
        this.hands.ownHandView(session.participantId),
        isModerator ? this.hands.queue(session.eventId) : [],
        isModerator ? this.counters(session.eventId) : null,
        isModerator ? this.restrictions.list(session.eventId) : [],
        isModerator ? this.crew.view(session.eventId) : undefined,
        isModerator ? this.captions.recent(session.eventId) : undefined,
        this.stage.snapshot(session),
      ]);
    return {
      me: {
        participantId: me.id,
        role: me.role,
        name: me.name,
        outlet: me.outlet,
        muted: me.muted,
        ...(session.language ? { language: session.language } : {}),
      },
      event: toPublicEvent(event),
      chat,
      questions,
      votedQuestionIds,
      hand,
      hands,
      counters,
      restrictions,
      stage: stage.stage,
      myStage: stage.myStage,
      ...(isModerator ? { crew, captions } : {}),
    };
  }

  counters(eventId: string): Counters {
    return {
      audienceOnline:
        this.notifier.localCount(rooms.role(eventId, 'journalist')) +
        this.notifier.localCount(rooms.role(eventId, 'viewer')),
      speakersOnline: this.notifier.localCount(rooms.role(eventId, 'speaker')),
    };
  }
}
