import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EventEmitter } from 'node:events';
import { aRole, ROLES_WITH_LANGUAGE, type InviteRole, type SpeakerInviteView } from '@pressroom/protocol';
import { EntityManager, IsNull, Not, Repository } from 'typeorm';
import { AppError, notFound } from '../common/app-error';
import type { EventPurgeStep } from '../common/event-purge';
import { newId } from '../common/ids';
import { Environment } from '../config/environment';
import { EventsService } from '../events/events.service';
import { ParticipantsService } from './participants.service';
import { SpeakerInvite } from './speaker-invite.entity';
import { TokensService } from '../auth/tokens.service';

/** For the crew's presence: an event's invites changed (one made or revoked). */
export interface InvitesObserverEvents {
  changed: [eventId: string];
}

/**
 * Signed, revocable links that let a named speaker, or a crew member (captioner, interpreter, signer:
 * `crew.ts`), into an event's studio.
 */
@Injectable()
export class InvitesService implements EventPurgeStep {
  readonly purgedEntities = [SpeakerInvite];
  readonly observer = new EventEmitter<InvitesObserverEvents>();

  constructor(
    @InjectRepository(SpeakerInvite) private readonly invites: Repository<SpeakerInvite>,
    private readonly events: EventsService,
    private readonly participants: ParticipantsService,
    private readonly tokens: TokensService,
    private readonly environment: Environment,
  ) {}

  /** `role` defaults to speaker; captioners and interpreters need their language, the others take none. */
  async create(
    slug: string,
    name: string,
    role: InviteRole = 'speaker',
    language: string | null = null,
  ): Promise<SpeakerInviteView> {
    if (ROLES_WITH_LANGUAGE.includes(role) && !language) {
      throw new AppError(
        'bad_request',
        `${aRole(role)} needs a language: give language as a BCP 47 tag such as es or fr`,
      );
    }
    if (!ROLES_WITH_LANGUAGE.includes(role) && language) {
      throw new AppError('bad_request', `${aRole(role)} works in no particular language: leave language out`);
    }
    const event = await this.events.findOpen(slug);
    const invite = await this.invites.save({
      id: newId(),
      eventId: event.id,
      name,
      role,
      language,
      createdAt: new Date(),
      revokedAt: null,
    });
    this.observer.emit('changed', event.id);
    return this.view(invite, slug);
  }

  /** The event's crew invites that are not revoked, oldest first. */
  crewOf(eventId: string): Promise<SpeakerInvite[]> {
    return this.invites.find({
      where: { eventId, revokedAt: IsNull(), role: Not('speaker') },
      order: { createdAt: 'ASC' },
    });
  }

  async list(slug: string): Promise<SpeakerInviteView[]> {
    const event = await this.events.findOpen(slug);
    const invites = await this.invites.find({ where: { eventId: event.id }, order: { createdAt: 'ASC' } });
    return Promise.all(invites.map((invite) => this.view(invite, slug)));
  }

  async revoke(slug: string, inviteId: string): Promise<SpeakerInviteView> {
    const event = await this.events.findOpen(slug);
    const invite = await this.invites.findOneBy({ id: inviteId, eventId: event.id });
    if (!invite) throw notFound('Invite');
    invite.revokedAt ??= new Date();
    await this.invites.save(invite);
    await this.participants.disconnectInvite(invite.id);
    this.observer.emit('changed', event.id);
    return this.view(invite, slug);
  }

  /** The invite behind a token, if it is for this event and not revoked. */
  async redeem(token: string, eventId: string): Promise<SpeakerInvite> {
    const claims = await this.tokens.verifyInvite(token);
    const invite = await this.invites.findOneBy({ id: claims.sub });
    if (!invite || invite.eventId !== eventId) throw new AppError('unauthorized', 'This invite is not for this event');
    if (invite.revokedAt) throw new AppError('invite_revoked', 'This invite was revoked');
    return invite;
  }

  /** The invite, unless it is gone or revoked. */
  async active(inviteId: string): Promise<SpeakerInvite | null> {
    const invite = await this.invites.findOneBy({ id: inviteId });
    return invite && invite.revokedAt === null ? invite : null;
  }

  /** The purge: the event's invites go (they carry the speakers' names); they add no count. */
  async purgeEvent(manager: EntityManager, eventId: string): Promise<Record<string, never>> {
    await manager.delete(SpeakerInvite, { eventId });
    return {};
  }

  private async view(invite: SpeakerInvite, slug: string): Promise<SpeakerInviteView> {
    const inviteToken = await this.tokens.signInvite(invite.id, invite.eventId);
    const publicUrl = this.environment.PUBLIC_URL ?? `http://localhost:${this.environment.PORT}`;
    return {
      id: invite.id,
      name: invite.name,
      inviteToken,
      inviteUrl: `${publicUrl.replace(/\/$/, '')}/studio/${encodeURIComponent(slug)}?invite=${inviteToken}`,
      role: invite.role,
      language: invite.language,
      createdAt: invite.createdAt.toISOString(),
      revokedAt: invite.revokedAt?.toISOString() ?? null,
    };
  }
}
