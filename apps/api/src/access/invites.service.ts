import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { SpeakerInviteView } from '@pressroom/protocol';
import { EntityManager, Repository } from 'typeorm';
import { AppError, notFound } from '../common/app-error';
import type { EventPurgeStep } from '../common/event-purge';
import { newId } from '../common/ids';
import { Environment } from '../config/environment';
import { EventsService } from '../events/events.service';
import { ParticipantsService } from './participants.service';
import { SpeakerInvite } from './speaker-invite.entity';
import { TokensService } from '../auth/tokens.service';

/** Signed, revocable links that let a named speaker into an event's studio. */
@Injectable()
export class InvitesService implements EventPurgeStep {
  readonly purgedEntities = [SpeakerInvite];

  constructor(
    @InjectRepository(SpeakerInvite) private readonly invites: Repository<SpeakerInvite>,
    private readonly events: EventsService,
    private readonly participants: ParticipantsService,
    private readonly tokens: TokensService,
    private readonly environment: Environment,
  ) {}

  async create(slug: string, name: string): Promise<SpeakerInviteView> {
    const event = await this.events.findOpen(slug);
    const invite = await this.invites.save({
      id: newId(),
      eventId: event.id,
      name,
      createdAt: new Date(),
      revokedAt: null,
    });
    return this.view(invite, slug);
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

  async isRevoked(inviteId: string): Promise<boolean> {
    const invite = await this.invites.findOneBy({ id: inviteId });
    return !invite || invite.revokedAt !== null;
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
      // Crew roles are stored once the crew issue's invites land; until then every invite is a speaker's.
      role: 'speaker',
      language: null,
      createdAt: invite.createdAt.toISOString(),
      revokedAt: invite.revokedAt?.toISOString() ?? null,
    };
  }
}
