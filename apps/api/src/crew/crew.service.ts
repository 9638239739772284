import { Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import {
  CREW_SILENT_SECONDS,
  isCrewRole,
  type CaptionCueView,
  type CaptionInterimView,
  type CrewMemberView,
  type CrewState,
} from '@pressroom/protocol';
import { InvitesService } from '../access/invites.service';
import { ParticipantsService } from '../access/participants.service';
import type { SpeakerInvite } from '../access/speaker-invite.entity';
import { CaptionsService } from '../captions/captions.service';
import type { Session } from '../common/session';
import { LiveNotifier } from '../realtime/live-notifier';
import { StudioService } from '../studio/studio.service';

/**
 * The crew's presence for the moderators' control room: each crew invite of an event with its member's
 * state (`CrewMemberView`), sent as `crew:changed` whenever one changes. Connections are counted per API
 * node (sticky sessions keep a crew member on one).
 */
@Injectable()
export class CrewService implements OnModuleInit, OnApplicationShutdown {
  private readonly connections = new Map<string, number>();
  /** When each captioner last sent a line or interim text (ms). */
  private readonly lastSent = new Map<string, number>();
  private readonly silenceTimers = new Map<string, NodeJS.Timeout>();
  /** What each event's moderators were last told, to send only changes. */
  private readonly lastSentView = new Map<string, string>();

  constructor(
    private readonly invites: InvitesService,
    private readonly participants: ParticipantsService,
    private readonly captions: CaptionsService,
    private readonly studio: StudioService,
    private readonly notifier: LiveNotifier,
  ) {}

  onModuleInit(): void {
    this.captions.observer.on('cue', this.onCaption);
    this.captions.observer.on('interim', this.onCaption);
    this.studio.observer.on('trackschanged', this.onChanged);
    this.invites.observer.on('changed', this.onChanged);
  }

  onApplicationShutdown(): void {
    this.captions.observer.off('cue', this.onCaption);
    this.captions.observer.off('interim', this.onCaption);
    this.studio.observer.off('trackschanged', this.onChanged);
    this.invites.observer.off('changed', this.onChanged);
    for (const timer of this.silenceTimers.values()) clearTimeout(timer);
    this.silenceTimers.clear();
  }

  connected(session: Session): void {
    if (!isCrewRole(session.role)) return;
    this.connections.set(session.participantId, (this.connections.get(session.participantId) ?? 0) + 1);
    this.publish(session.eventId);
  }

  disconnected(session: Session): void {
    if (!isCrewRole(session.role)) return;
    const left = (this.connections.get(session.participantId) ?? 1) - 1;
    if (left > 0) this.connections.set(session.participantId, left);
    else {
      // Gone: nothing of theirs stays in memory (back later, they are `connected` until they send again).
      this.connections.delete(session.participantId);
      this.lastSent.delete(session.participantId);
      clearTimeout(this.silenceTimers.get(session.participantId));
      this.silenceTimers.delete(session.participantId);
    }
    this.publish(session.eventId);
  }

  /** Every crew invite of the event (not revoked), oldest first, with its member's state now. */
  async view(eventId: string): Promise<CrewMemberView[]> {
    const room = await this.studio.existingRoom(eventId);
    const invites = await this.invites.crewOf(eventId);
    return Promise.all(
      invites.map(async (invite) => {
        const participant = await this.participants.findOne({ eventId, inviteId: invite.id });
        const participantId = participant?.id ?? null;
        const producers = participantId ? (room?.peerOrNone(participantId)?.producers ?? []) : [];
        return {
          inviteId: invite.id,
          participantId,
          name: invite.name,
          role: invite.role as CrewMemberView['role'],
          language: invite.language,
          state: this.stateOf(invite, participantId, producers),
        };
      }),
    );
  }

  private stateOf(
    invite: SpeakerInvite,
    participantId: string | null,
    producers: ReadonlyArray<{ paused: boolean; closed: boolean }>,
  ): CrewState {
    if (!participantId || !this.connections.has(participantId)) return 'offline';
    if (invite.role === 'captioner') {
      const last = this.lastSent.get(participantId);
      if (last === undefined) return 'connected';
      return Date.now() - last < CREW_SILENT_SECONDS * 1000 ? 'sending' : 'silent';
    }
    const live = producers.filter((producer) => !producer.closed);
    if (live.length === 0) return 'connected';
    return live.some((producer) => !producer.paused) ? 'sending' : 'silent';
  }

  private readonly onCaption = (eventId: string, caption: CaptionCueView | CaptionInterimView): void => {
    const { participantId } = caption;
    const wasSending = this.silenceTimers.has(participantId);
    this.lastSent.set(participantId, Date.now());
    clearTimeout(this.silenceTimers.get(participantId));
    this.silenceTimers.set(
      participantId,
      setTimeout(
        () => {
          this.silenceTimers.delete(participantId);
          this.publish(eventId);
        },
        CREW_SILENT_SECONDS * 1000 + 50,
      ).unref(),
    );
    if (!wasSending) this.publish(eventId);
  };

  private readonly onChanged = (eventId: string): void => this.publish(eventId);

  /** Tells the event's moderators the crew's states, when they changed. */
  private publish(eventId: string): void {
    void this.view(eventId).then(
      (crew) => {
        // An event without crew is not remembered (its moderators hear of it once, when the last invite goes).
        if (crew.length === 0) {
          if (this.lastSentView.delete(eventId)) this.notifier.toModerators(eventId, 'crew:changed', { crew });
          return;
        }
        const serialized = JSON.stringify(crew);
        if (this.lastSentView.get(eventId) === serialized) return;
        this.lastSentView.set(eventId, serialized);
        this.notifier.toModerators(eventId, 'crew:changed', { crew });
      },
      () => undefined, // the event was purged meanwhile: nobody to tell
    );
  }
}
