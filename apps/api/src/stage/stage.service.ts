import { EventEmitter } from 'node:events';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type {
  HandView,
  MyStageView,
  StageAppearanceView,
  StageEndReason,
  StageGuestView,
  StageInvitationView,
  StageView,
} from '@pressroom/protocol';
import { EntityManager, IsNull, Repository } from 'typeorm';
import { AppError, notFound } from '../common/app-error';
import type { EventPurgeStep } from '../common/event-purge';
import { newId } from '../common/ids';
import type { Session } from '../common/session';
import { Environment } from '../config/environment';
import { EventsService } from '../events/events.service';
import type { PressEvent } from '../events/press-event.entity';
import { HandsService } from '../hands/hands.service';
import { AuditService } from '../moderation/audit.service';
import { RestrictionsService } from '../moderation/restrictions.service';
import { LiveNotifier } from '../realtime/live-notifier';
import { rooms } from '../realtime/rooms';
import { StageAppearance } from './stage-appearance.entity';

/** For the studio: a guest's turn ended (close their tracks now), or a moderator muted their microphone. */
export interface StageObserverEvents {
  ended: [eventId: string, participantId: string];
  muted: [eventId: string, participantId: string, muted: boolean];
}

/**
 * Several API nodes (cluster/): something that happened on one node which the stage of the event's holder
 * must follow (a journalist's connection opened or closed, a ban, a hand lowered, a participant forgotten).
 */
export type StageRelay =
  | { kind: 'connected' | 'disconnected' | 'banned'; eventId: string; participantId: string }
  | { kind: 'withdrawn'; eventId: string; hand: HandView; by: 'journalist' | 'moderator' }
  | { kind: 'renamed'; eventId: string; participantId: string; name: string; outlet: string };

/** What a session's state shows of the stage. */
export interface StageSnapshot {
  stage: StageView | null;
  myStage: MyStageView | null;
}

/**
 * Several API nodes: the stage of an event lives on the node that holds its media (cluster/ sets these;
 * with one node they stay unset). Stage actions are forwarded there like studio actions.
 */
export interface StagePlacement {
  /** The holder's snapshot for a session of an event held elsewhere; undefined when it is held here. */
  snapshotElsewhere(session: Session): Promise<StageSnapshot | undefined>;
  /** Passes a change made here to the other nodes; the holder applies it (`StageService.apply`). */
  relay(change: StageRelay): void;
}

interface Invitation {
  eventId: string;
  participantId: string;
  handId: string;
  name: string;
  outlet: string;
  invitedAt: Date;
  expiresAt: Date;
  timer: NodeJS.Timeout;
}

interface Guest {
  eventId: string;
  participantId: string;
  handId: string;
  name: string;
  outlet: string;
  since: Date;
  appearanceId: string;
  muted: boolean;
  /** Set while their connection is gone: the turn ends then. */
  reconnectBy: Date | null;
  reconnectTimer?: NodeJS.Timeout;
  /** Connections of theirs opened (on any node) during the turn: one while the grace was being decided counts. */
  comebacks: number;
}

/**
 * The journalist on stage: invitations from the hand queue, the guests' turns, and who may use the studio
 * as a guest. Invitations and turns live in this API node's memory (a guest is connected to one node);
 * appearances are kept in the database for the transcript until the purge.
 */
@Injectable()
export class StageService implements EventPurgeStep, OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  readonly purgedEntities = [StageAppearance];
  readonly observer = new EventEmitter<StageObserverEvents>();
  private readonly logger = new Logger(StageService.name);
  /** By participant id. */
  private readonly invitations = new Map<string, Invitation>();
  private readonly guests = new Map<string, Guest>();
  /** Several API nodes: set by cluster/. */
  placement?: StagePlacement;

  constructor(
    @InjectRepository(StageAppearance) private readonly appearances: Repository<StageAppearance>,
    private readonly events: EventsService,
    private readonly hands: HandsService,
    private readonly audit: AuditService,
    private readonly restrictions: RestrictionsService,
    private readonly notifier: LiveNotifier,
    private readonly environment: Environment,
  ) {}

  onModuleInit(): void {
    this.events.observer.on('statuschange', this.onStatusChange);
    this.restrictions.observer.on('banned', this.onBanned);
    this.hands.observer.on('withdrawn', this.onHandWithdrawn);
  }

  /**
   * The turns on stage the API had when it stopped go on (they are in the database): a guest who comes
   * back within the reconnect grace is still on stage. Several API nodes: the node that takes an event
   * over does this instead (cluster/), not every node at its start.
   */
  async onApplicationBootstrap(): Promise<void> {
    if (this.placement) return;
    const open = await this.appearances.find({ where: { endedAt: IsNull() }, select: { eventId: true } });
    for (const eventId of new Set(open.map((appearance) => appearance.eventId))) {
      const event = await this.events.findById(eventId).catch(() => undefined);
      if (event && event.status !== 'ended' && event.status !== 'purged') await this.resume(eventId);
    }
  }

  onApplicationShutdown(): void {
    this.events.observer.off('statuschange', this.onStatusChange);
    this.restrictions.observer.off('banned', this.onBanned);
    this.hands.observer.off('withdrawn', this.onHandWithdrawn);
    for (const invitation of this.invitations.values()) clearTimeout(invitation.timer);
    for (const guest of this.guests.values()) clearTimeout(guest.reconnectTimer);
    this.invitations.clear();
    this.guests.clear();
  }

  /** May this session use the studio? Speakers, moderators and the crew may; a journalist only while on stage. */
  mayUseStudio(session: Session): boolean {
    if (session.role !== 'journalist') return session.role !== 'viewer';
    return this.guests.get(session.participantId)?.eventId === session.eventId;
  }

  /** A moderator muted this guest's microphone. */
  isMuted(participantId: string): boolean {
    return this.guests.get(participantId)?.muted ?? false;
  }

  async invite(session: Session, handId: string): Promise<void> {
    EventsService.assertOpenForAudience(await this.events.findById(session.eventId));
    const hand = await this.hands.findQueued(session.eventId, handId);
    // From here to the map, nothing awaits: two invitations at once cannot both take the last place.
    if (this.guests.has(hand.participantId)) throw new AppError('invalid_state', `${hand.name} is on stage already`);
    if (this.invitations.has(hand.participantId))
      throw new AppError('invalid_state', `${hand.name} is invited already`);
    const taken = this.taken(session.eventId);
    const max = this.environment.STAGE_MAX_GUESTS;
    if (taken >= max) {
      throw new AppError(
        'stage_full',
        `The stage is full: at most ${max} guest${max === 1 ? '' : 's'} at a time (invited or on stage). End a turn first`,
      );
    }
    const invitedAt = new Date();
    const expiresAt = new Date(invitedAt.getTime() + this.environment.STAGE_INVITE_SECONDS * 1000);
    const invitation: Invitation = {
      eventId: session.eventId,
      participantId: hand.participantId,
      handId: hand.id,
      name: hand.name,
      outlet: hand.outlet,
      invitedAt,
      expiresAt,
      timer: setTimeout(() => this.lapse(invitation), expiresAt.getTime() - invitedAt.getTime()),
    };
    this.invitations.set(hand.participantId, invitation);
    this.notifier.toParticipant(hand.participantId, 'stage:invited', {
      handId: hand.id,
      expiresAt: expiresAt.toISOString(),
    });
    this.changed(session.eventId);
    await this.audit.record(session, 'stage:invite', 'hand', hand.id);
  }

  async accept(session: Session): Promise<void> {
    const invitation = this.invitationOf(session);
    clearTimeout(invitation.timer);
    this.invitations.delete(session.participantId);
    const guest: Guest = {
      eventId: invitation.eventId,
      participantId: invitation.participantId,
      handId: invitation.handId,
      name: invitation.name,
      outlet: invitation.outlet,
      since: new Date(),
      appearanceId: newId(),
      muted: false,
      reconnectBy: null,
      comebacks: 0,
    };
    this.guests.set(guest.participantId, guest);
    this.changed(guest.eventId);
    await this.appearances.insert({
      id: guest.appearanceId,
      eventId: guest.eventId,
      participantId: guest.participantId,
      handId: guest.handId,
      name: guest.name,
      outlet: guest.outlet,
      startedAt: guest.since,
      endedAt: null,
    });
    await this.audit.record(session, 'stage:accept', 'hand', guest.handId);
  }

  async decline(session: Session): Promise<void> {
    const invitation = this.invitationOf(session);
    this.dropInvitation(invitation, 'declined');
    await this.audit.record(session, 'stage:decline', 'hand', invitation.handId);
  }

  /** A moderator ends a guest's turn, or withdraws an invitation not answered yet. */
  async remove(session: Session, participantId: string): Promise<void> {
    const guest = this.guests.get(participantId);
    const invitation = this.invitations.get(participantId);
    if (guest?.eventId === session.eventId) {
      await this.audit.record(session, 'stage:remove', 'participant', participantId);
      await this.end(guest, 'removed');
    } else if (invitation?.eventId === session.eventId) {
      clearTimeout(invitation.timer);
      this.invitations.delete(participantId);
      this.notifier.toParticipant(participantId, 'stage:ended', { reason: 'withdrawn' });
      this.changed(session.eventId);
      await this.audit.record(session, 'stage:remove', 'participant', participantId);
    } else {
      throw notFound('Guest on stage');
    }
  }

  /** The guest ends their own turn. */
  async leave(session: Session): Promise<void> {
    const guest = this.guests.get(session.participantId);
    if (guest?.eventId !== session.eventId) throw new AppError('invalid_state', 'You are not on stage');
    await this.audit.record(session, 'stage:leave', 'participant', session.participantId);
    await this.end(guest, 'left');
  }

  async mute(session: Session, participantId: string, muted: boolean): Promise<void> {
    const guest = this.guests.get(participantId);
    if (guest?.eventId !== session.eventId) throw notFound('Guest on stage');
    if (guest.muted !== muted) {
      guest.muted = muted;
      await this.appearances.update(guest.appearanceId, { muted });
      this.observer.emit('muted', guest.eventId, participantId, muted);
      this.notifier.toParticipant(participantId, 'stage:muted', { muted });
      this.changed(guest.eventId);
    }
    await this.audit.record(session, muted ? 'stage:mute' : 'stage:unmute', 'participant', participantId);
  }

  /** A connection of this participant closed: a guest with none left has the grace to come back. */
  disconnected(session: Session): void {
    if (this.notifier.localCount(rooms.participant(session.participantId)) > 0) return;
    this.placement?.relay({ kind: 'disconnected', eventId: session.eventId, participantId: session.participantId });
    void this.startGrace(session.participantId).catch((error: unknown) =>
      this.logger.error(`stage grace: ${error instanceof Error ? error.message : 'unknown'}`),
    );
  }

  private async startGrace(participantId: string): Promise<void> {
    const guest = this.guests.get(participantId);
    if (!guest || guest.reconnectTimer) return;
    if (this.notifier.localCount(rooms.participant(participantId)) > 0) return;
    // Several API nodes: a connection of theirs may be open on another node.
    const comebacks = guest.comebacks;
    if (this.placement && (await this.notifier.count(rooms.participant(participantId))) > 0) return;
    if (this.guests.get(participantId) !== guest || guest.reconnectTimer || guest.comebacks !== comebacks) return;
    const graceMs = this.environment.STAGE_RECONNECT_SECONDS * 1000;
    guest.reconnectBy = new Date(Date.now() + graceMs);
    guest.reconnectTimer = setTimeout(() => this.endInBackground(guest, 'disconnected'), graceMs);
    this.changed(guest.eventId);
  }

  /**
   * The API started again, or (several API nodes) this node took the event over from its holder, which
   * stopped. The turns still open in the database go on here, so a guest whose studio joins again (as every studio is told to) is still on
   * stage, muted if a moderator had muted them; each gets the reconnect grace unless the guest has a connection
   * open somewhere. The invitations not answered yet stayed with the old holder (the journalist's hand stays raised).
   */
  async resume(eventId: string): Promise<void> {
    const open = await this.appearances.find({ where: { eventId, endedAt: IsNull() }, order: { startedAt: 'ASC' } });
    for (const appearance of open) {
      if (this.guests.has(appearance.participantId)) continue;
      this.guests.set(appearance.participantId, {
        eventId,
        participantId: appearance.participantId,
        handId: appearance.handId,
        name: appearance.name,
        outlet: appearance.outlet,
        since: appearance.startedAt,
        appearanceId: appearance.id,
        muted: appearance.muted,
        reconnectBy: null,
        comebacks: 0,
      });
      void this.startGrace(appearance.participantId).catch((error: unknown) =>
        this.logger.error(`stage grace: ${error instanceof Error ? error.message : 'unknown'}`),
      );
    }
    if (open.length > 0) {
      this.logger.warn(`${open.length} turn(s) on stage of event ${eventId} go on here`);
      this.changed(eventId);
    }
  }

  /**
   * Several API nodes: another node holds the event now (this one was cut off past its lease). Its turns and
   * invitations here are forgotten without a word: the new holder carries the turns on.
   */
  forget(eventId: string): void {
    this.dropInvitations(eventId);
    for (const [participantId, guest] of this.guests) {
      if (guest.eventId !== eventId) continue;
      clearTimeout(guest.reconnectTimer);
      this.guests.delete(participantId);
    }
  }

  /** A connection of this participant opened: a guest within the grace is back on stage. */
  connected(session: Session): void {
    this.placement?.relay({ kind: 'connected', eventId: session.eventId, participantId: session.participantId });
    this.endGrace(session.participantId);
  }

  private endGrace(participantId: string): void {
    const guest = this.guests.get(participantId);
    if (!guest) return;
    guest.comebacks++;
    if (!guest.reconnectTimer) return;
    clearTimeout(guest.reconnectTimer);
    guest.reconnectTimer = undefined;
    guest.reconnectBy = null;
    this.changed(guest.eventId);
  }

  /** On the event's holder: a change another API node relayed (see `StagePlacement`). */
  apply(change: StageRelay): void {
    if (change.kind === 'connected') this.endGrace(change.participantId);
    else if (change.kind === 'disconnected') this.disconnectedElsewhere(change.participantId);
    else if (change.kind === 'banned') this.onBanned(change.eventId, change.participantId, false);
    else if (change.kind === 'withdrawn') this.onHandWithdrawn(change.hand, change.by, change.eventId, false);
    else if (change.kind === 'renamed') this.rename(change.participantId, change.name, change.outlet);
  }

  private disconnectedElsewhere(participantId: string): void {
    void this.startGrace(participantId).catch((error: unknown) =>
      this.logger.error(`stage grace: ${error instanceof Error ? error.message : 'unknown'}`),
    );
  }

  /**
   * The participant was forgotten ("forget me"): their invitation or turn shows the new name to the
   * moderators. (Their tile in the broadcast keeps its label until the turn ends.)
   */
  renamed(participantId: string, name: string, outlet: string, eventId?: string): void {
    if (eventId) this.placement?.relay({ kind: 'renamed', eventId, participantId, name, outlet });
    this.rename(participantId, name, outlet);
  }

  private rename(participantId: string, name: string, outlet: string): void {
    const held = this.guests.get(participantId) ?? this.invitations.get(participantId);
    if (!held) return;
    Object.assign(held, { name, outlet });
    this.changed(held.eventId);
  }

  /** The stage in a session's state: here, or asked of the node that holds the event. */
  async snapshot(session: Session): Promise<StageSnapshot> {
    if (session.role !== 'moderator' && session.role !== 'journalist') return { stage: null, myStage: null };
    const elsewhere = await this.placement?.snapshotElsewhere(session);
    if (elsewhere) return elsewhere;
    return {
      stage: session.role === 'moderator' ? this.view(session.eventId) : null,
      myStage: session.role === 'journalist' ? this.myStage(session) : null,
    };
  }

  view(eventId: string): StageView {
    return {
      guests: [...this.guests.values()].filter((g) => g.eventId === eventId).map(guestView),
      invitations: [...this.invitations.values()].filter((i) => i.eventId === eventId).map(invitationView),
      maxGuests: this.environment.STAGE_MAX_GUESTS,
    };
  }

  myStage(session: Session): MyStageView | null {
    const guest = this.guests.get(session.participantId);
    if (guest?.eventId === session.eventId) {
      return { status: 'onStage', handId: guest.handId, since: guest.since.toISOString(), muted: guest.muted };
    }
    const invitation = this.invitations.get(session.participantId);
    if (invitation?.eventId === session.eventId) {
      return { status: 'invited', handId: invitation.handId, expiresAt: invitation.expiresAt.toISOString() };
    }
    return null;
  }

  /** Every appearance of the event, for the transcript. */
  async transcript(eventId: string): Promise<StageAppearanceView[]> {
    const appearances = await this.appearances.find({ where: { eventId }, order: { startedAt: 'ASC' } });
    return appearances.map(({ participantId, name, outlet, startedAt, endedAt }) => ({
      participantId,
      name,
      outlet,
      from: startedAt.toISOString(),
      to: endedAt?.toISOString() ?? null,
    }));
  }

  /** The purge: the event's appearances go (names, outlets); they add no count. */
  async purgeEvent(manager: EntityManager, eventId: string): Promise<Record<string, never>> {
    await manager.delete(StageAppearance, { eventId });
    return {};
  }

  /** The event's open invitations go, without a word (their event ended, or another node holds it). */
  private dropInvitations(eventId: string): void {
    for (const [participantId, invitation] of this.invitations) {
      if (invitation.eventId !== eventId) continue;
      clearTimeout(invitation.timer);
      this.invitations.delete(participantId);
    }
  }

  private readonly onStatusChange = (event: PressEvent): void => {
    if (event.status !== 'ended' && event.status !== 'purged') return;
    this.dropInvitations(event.id);
    for (const guest of [...this.guests.values()])
      if (guest.eventId === event.id) this.endInBackground(guest, 'event ended');
  };

  /** A banned journalist leaves the stage at once, without the grace of a dropped connection. */
  private readonly onBanned = (eventId: string, participantId: string, relay = true): void => {
    if (relay) this.placement?.relay({ kind: 'banned', eventId, participantId });
    const invitation = this.invitations.get(participantId);
    if (invitation?.eventId === eventId) {
      clearTimeout(invitation.timer);
      this.invitations.delete(participantId);
      this.changed(eventId);
    }
    const guest = this.guests.get(participantId);
    if (guest?.eventId === eventId) this.endInBackground(guest, 'removed');
  };

  /** Invited or on stage in this event. */
  /**
   * A hand lowered by its journalist or dismissed by a moderator takes its invitation with it, or ends its
   * turn on stage (as leaving, or as a removal).
   */
  private readonly onHandWithdrawn = (
    hand: HandView,
    by: 'journalist' | 'moderator',
    eventId?: string,
    relay = true,
  ): void => {
    if (relay && eventId) this.placement?.relay({ kind: 'withdrawn', eventId, hand, by });
    const invitation = this.invitations.get(hand.participantId);
    if (invitation?.handId === hand.id) {
      clearTimeout(invitation.timer);
      this.invitations.delete(hand.participantId);
      this.notifier.toParticipant(hand.participantId, 'stage:ended', { reason: 'withdrawn' });
      this.changed(invitation.eventId);
    }
    const guest = this.guests.get(hand.participantId);
    if (guest?.handId === hand.id) this.endInBackground(guest, by === 'journalist' ? 'left' : 'removed');
  };

  private taken(eventId: string): number {
    const inEvent = (entry: { eventId: string }) => entry.eventId === eventId;
    return [...this.guests.values()].filter(inEvent).length + [...this.invitations.values()].filter(inEvent).length;
  }

  private invitationOf(session: Session): Invitation {
    const invitation = this.invitations.get(session.participantId);
    if (invitation?.eventId !== session.eventId) throw new AppError('invalid_state', 'You have no invitation on stage');
    return invitation;
  }

  private lapse(invitation: Invitation): void {
    if (this.invitations.get(invitation.participantId) !== invitation) return;
    this.notifier.toParticipant(invitation.participantId, 'stage:ended', { reason: 'lapsed' });
    this.dropInvitation(invitation, 'lapsed');
  }

  private dropInvitation(invitation: Invitation, reason: 'declined' | 'lapsed'): void {
    clearTimeout(invitation.timer);
    this.invitations.delete(invitation.participantId);
    this.notifier.toModerators(invitation.eventId, 'stage:declined', {
      handId: invitation.handId,
      participantId: invitation.participantId,
      reason,
    });
    this.changed(invitation.eventId);
  }

  /**
   * Ends a turn: at once (before anything awaits) the guest leaves the stage, so every studio action of
   * theirs is refused from now on, and the studio closes their tracks; then the appearance and the hand.
   */
  private async end(guest: Guest, reason: StageEndReason): Promise<void> {
    if (this.guests.get(guest.participantId) !== guest) return;
    this.guests.delete(guest.participantId);
    clearTimeout(guest.reconnectTimer);
    this.observer.emit('ended', guest.eventId, guest.participantId);
    this.notifier.toParticipant(guest.participantId, 'stage:ended', { reason });
    this.changed(guest.eventId);
    await this.appearances.update({ id: guest.appearanceId }, { endedAt: new Date() });
    await this.hands.markAnswered(guest.handId);
  }

  private endInBackground(guest: Guest, reason: StageEndReason): void {
    this.end(guest, reason).catch((error: unknown) =>
      this.logger.error(`ending a turn on stage failed: ${error instanceof Error ? error.message : 'unknown'}`),
    );
  }

  private changed(eventId: string): void {
    this.notifier.toModerators(eventId, 'stage:changed', this.view(eventId));
  }
}

function guestView(guest: Guest): StageGuestView {
  return {
    participantId: guest.participantId,
    handId: guest.handId,
    name: guest.name,
    outlet: guest.outlet,
    since: guest.since.toISOString(),
    muted: guest.muted,
    reconnectBy: guest.reconnectBy?.toISOString() ?? null,
  };
}

function invitationView(invitation: Invitation): StageInvitationView {
  return {
    participantId: invitation.participantId,
    handId: invitation.handId,
    name: invitation.name,
    outlet: invitation.outlet,
    invitedAt: invitation.invitedAt.toISOString(),
    expiresAt: invitation.expiresAt.toISOString(),
  };
}
