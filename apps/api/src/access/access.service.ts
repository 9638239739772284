import { Injectable } from '@nestjs/common';
import type { AudienceRole, JoinResponse, Role } from '@pressroom/protocol';
import { AppError } from '../common/app-error';
import { EventsService } from '../events/events.service';
import type { PressEvent } from '../events/press-event.entity';
import { JoinDto } from './access.dto';
import { InvitesService } from './invites.service';
import { ModeratorsService } from '../auth/moderators.service';
import type { Participant } from './participant.entity';
import { ParticipantsService } from './participants.service';
import type { SpeakerInvite } from './speaker-invite.entity';
import { verifyPassword } from '../auth/password';
import type { Session } from '../common/session';
import { TokensService, type SignedToken } from '../auth/tokens.service';

const AUDIENCE: readonly Role[] = ['journalist', 'viewer'] satisfies AudienceRole[];

/**
 * What decides, now, who may fetch an event's HLS. Read from the database at most twice a second per
 * event and API node (see `HlsAccess`), however many viewers refresh their playlists.
 */
export interface WatchRules {
  eventId: string;
  /** Null when the event has no password: anyone may watch. */
  passwordFingerprint: string | null;
  /** Who was banned from the event (only read when it has a password). */
  banned: ReadonlySet<string>;
}

/** Who may enter an event and as what: moderators by their login, speakers and crew by invite, the audience by password. */
@Injectable()
export class AccessService {
  constructor(
    private readonly events: EventsService,
    private readonly participants: ParticipantsService,
    private readonly invites: InvitesService,
    private readonly moderators: ModeratorsService,
    private readonly tokens: TokensService,
  ) {}

  /**
   * The access token, and for a password-protected event the stream pass that lets the browser fetch
   * its HLS (null otherwise: anyone may).
   */
  async join(
    slug: string,
    dto: JoinDto,
    moderatorToken?: string,
  ): Promise<{ joined: JoinResponse; hlsPass: SignedToken | null }> {
    const event = await this.events.findOpen(slug);
    let language: string | null = null;
    const participant = moderatorToken
      ? await this.joinAsModerator(event, moderatorToken)
      : dto.invite
        ? await this.joinAsSpeaker(event, dto.invite, (invite) => (language = invite.language))
        : await this.joinAudience(event, dto);
    const { token, expiresAt } = await this.tokens.signAccess(participant.id, event.id, participant.role);
    return {
      joined: {
        accessToken: token,
        role: participant.role,
        participantId: participant.id,
        expiresAt: expiresAt!.toISOString(),
        ...(language ? { language } : {}),
      },
      hlsPass: event.passwordHash
        ? await this.tokens.signHlsPass(
            event.id,
            participant.id,
            AUDIENCE.includes(participant.role) ? await this.tokens.passwordFingerprint(event.passwordHash) : null,
          )
        : null,
    };
  }

  /** The event's watch rules as the database has them now: its password's fingerprint and who is banned. */
  async watchRules(event: PressEvent): Promise<WatchRules> {
    if (!event.passwordHash) return { eventId: event.id, passwordFingerprint: null, banned: new Set() };
    return {
      eventId: event.id,
      passwordFingerprint: await this.tokens.passwordFingerprint(event.passwordHash),
      banned: new Set(await this.participants.bannedIds(event.id)),
    };
  }

  /**
   * Throws unless the request may fetch the event's HLS: any request when it has no password, else a
   * valid pass of a participant who is not banned and, for the audience, joined with the current password.
   */
  async assertMayWatch(rules: WatchRules, pass: string | undefined): Promise<void> {
    if (rules.passwordFingerprint === null) return;
    if (!pass) throw new AppError('password_required', 'This event needs a password: join it first');
    const claims = await this.tokens.verifyHlsPass(pass);
    if (claims.eid !== rules.eventId) throw new AppError('unauthorized', 'This pass is for another event');
    if (typeof claims.sub !== 'string') throw new AppError('unauthorized', 'This pass is out of date: join again');
    if (rules.banned.has(claims.sub)) throw new AppError('banned', 'A moderator removed you from this event');
    if (claims.pwd !== undefined && claims.pwd !== rules.passwordFingerprint) {
      throw new AppError('forbidden', "The event's password changed: join again with the new one");
    }
  }

  /** The session behind an access token, refused once the participant is banned, revoked or purged. */
  async resolveSession(token: unknown): Promise<Session> {
    const claims = await this.tokens.verifyAccess(token as string);
    const participant = await this.participants.findOne({ id: claims.sub });
    if (!participant || participant.eventId !== claims.eid) {
      throw new AppError('unauthorized', 'This access is no longer valid');
    }
    if (participant.bannedAt) throw new AppError('banned', 'A moderator removed you from this event');
    const invite = participant.inviteId ? await this.invites.active(participant.inviteId) : null;
    if (participant.inviteId && !invite) throw new AppError('invite_revoked', 'This invite was revoked');
    return {
      participantId: participant.id,
      eventId: participant.eventId,
      role: participant.role,
      name: participant.name,
      outlet: participant.outlet,
      language: invite?.language ?? null,
    };
  }

  private async joinAsModerator(event: PressEvent, moderatorToken: string): Promise<Participant> {
    const { sub: moderatorId } = await this.tokens.verifyModerator(moderatorToken);
    if (!(await this.moderators.exists(moderatorId)))
      throw new AppError('unauthorized', 'This account no longer exists');
    return (
      (await this.participants.findOne({ eventId: event.id, moderatorId })) ??
      (await this.participants.create({
        eventId: event.id,
        role: 'moderator',
        name: 'Moderator',
        outlet: null,
        moderatorId,
      }))
    );
  }

  private async joinAsSpeaker(
    event: PressEvent,
    inviteToken: string,
    redeemed: (invite: SpeakerInvite) => void,
  ): Promise<Participant> {
    const invite = await this.invites.redeem(inviteToken, event.id);
    redeemed(invite);
    return (
      (await this.participants.findOne({ eventId: event.id, inviteId: invite.id })) ??
      (await this.participants.create({
        eventId: event.id,
        role: invite.role,
        name: invite.name,
        outlet: null,
        inviteId: invite.id,
      }))
    );
  }

  private async joinAudience(event: PressEvent, dto: JoinDto): Promise<Participant> {
    if (event.joinLocked) {
      throw new AppError(
        'join_locked',
        'The moderators have closed this event to new arrivals: nobody new may join now',
      );
    }
    if (event.passwordHash) {
      if (!dto.password) throw new AppError('password_required', 'This event needs a password');
      if (!(await verifyPassword(dto.password, event.passwordHash))) {
        throw new AppError('wrong_password', 'The password is not right');
      }
    }
    if (dto.outlet && !dto.name) throw new AppError('bad_request', 'Give your name with your outlet');
    const role = dto.name && dto.outlet ? 'journalist' : 'viewer';
    return this.participants.create({ eventId: event.id, role, name: dto.name ?? null, outlet: dto.outlet ?? null });
  }
}
