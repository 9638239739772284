import { Injectable } from '@nestjs/common';
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Role } from '@pressroom/protocol';
import { AppError } from '../common/app-error';
import { Environment } from '../config/environment';
import { SecretsService } from './secrets.service';

export interface ModeratorClaims {
  typ: 'moderator';
  sub: string;
}
/** An event-scoped session of one participant. */
export interface AccessClaims {
  typ: 'access';
  sub: string;
  eid: string;
  role: Role;
}
export interface InviteClaims {
  typ: 'invite';
  sub: string;
  eid: string;
}
/**
 * Lets a browser fetch the HLS of a password-protected event (a cookie set when it joins): bound to the
 * participant who joined (a ban ends it) and, for the audience, to the password they joined with (a new
 * password ends it).
 */
export interface HlsClaims {
  typ: 'hls';
  eid: string;
  /** The participant. */
  sub: string;
  /** The fingerprint of the event's password when the audience member joined; absent for moderators and speakers. */
  pwd?: string;
}
/**
 * Lets a moderator's browser download an event's recording with a plain link, which cannot carry the
 * bearer token: short-lived, and good for nothing else.
 */
export interface RecordingKeyClaims {
  typ: 'recording';
  /** The moderator it was given to. */
  sub: string;
  eid: string;
}
type Claims = ModeratorClaims | AccessClaims | InviteClaims | HlsClaims | RecordingKeyClaims;

export interface SignedToken {
  token: string;
  expiresAt: Date | null;
}

const HOUR_MS = 3_600_000;
/** How long a recording download link works. */
export const RECORDING_KEY_SECONDS = 600;
const TOKEN_NAMES: Record<Claims['typ'], string> = {
  moderator: 'a moderator token',
  access: 'an access token',
  invite: 'an invite token',
  hls: 'a stream pass',
  recording: 'a recording download key',
};

/** Signs and verifies each kind of token; each kind is refused where another is expected. */
@Injectable()
export class TokensService {
  /** A KeyObject: given a string, jsonwebtoken first tries (and fails) to parse it as a PEM key on every call. */
  private signingKey?: Promise<KeyObject>;

  constructor(
    private readonly secrets: SecretsService,
    private readonly environment: Environment,
  ) {}

  signModerator(moderatorId: string): Promise<SignedToken> {
    return this.sign({ typ: 'moderator', sub: moderatorId }, this.environment.MODERATOR_SESSION_HOURS);
  }

  signAccess(participantId: string, eventId: string, role: Role): Promise<SignedToken> {
    return this.sign({ typ: 'access', sub: participantId, eid: eventId, role }, this.environment.ACCESS_TOKEN_HOURS);
  }

  /** Invites do not expire: they are revoked, and die with the event's purge. */
  async signInvite(inviteId: string, eventId: string): Promise<string> {
    return (await this.sign({ typ: 'invite', sub: inviteId, eid: eventId }, null)).token;
  }

  /** `passwordFingerprint`: see `passwordFingerprint()`; null for those who did not join by the password. */
  signHlsPass(eventId: string, participantId: string, passwordFingerprint: string | null): Promise<SignedToken> {
    return this.sign(
      { typ: 'hls', eid: eventId, sub: participantId, ...(passwordFingerprint ? { pwd: passwordFingerprint } : {}) },
      this.environment.ACCESS_TOKEN_HOURS,
    );
  }

  /**
   * Names an event's current password in a stream pass without carrying its hash: a keyed digest of the
   * hash (which is salted afresh on every change), so it changes with each new password and tells nothing.
   */
  async passwordFingerprint(passwordHash: string): Promise<string> {
    return createHmac('sha256', await this.key())
      .update(`hls-password\0${passwordHash}`)
      .digest('base64url')
      .slice(0, 22);
  }

  verifyHlsPass(token: string): Promise<HlsClaims> {
    return this.verify(token, 'hls');
  }

  signRecordingKey(moderatorId: string, eventId: string): Promise<SignedToken> {
    return this.sign({ typ: 'recording', sub: moderatorId, eid: eventId }, RECORDING_KEY_SECONDS / 3600);
  }

  verifyRecordingKey(token: unknown): Promise<RecordingKeyClaims> {
    return this.verify(token, 'recording');
  }

  verifyModerator(token: string): Promise<ModeratorClaims> {
    return this.verify(token, 'moderator');
  }

  verifyAccess(token: string): Promise<AccessClaims> {
    return this.verify(token, 'access');
  }

  verifyInvite(token: string): Promise<InviteClaims> {
    return this.verify(token, 'invite');
  }

  private async sign(claims: Claims, hours: number | null): Promise<SignedToken> {
    const secret = await this.key();
    const token = jwt.sign(claims, secret, { algorithm: 'HS256', ...(hours ? { expiresIn: hours * 3600 } : {}) });
    return { token, expiresAt: hours ? new Date(Date.now() + hours * HOUR_MS) : null };
  }

  private async verify<T extends Claims>(token: unknown, typ: T['typ']): Promise<T> {
    if (typeof token !== 'string' || token.length === 0 || token.length > 4096) {
      throw new AppError('unauthorized', 'A token is required');
    }
    let claims: Claims;
    try {
      claims = jwt.verify(token, await this.key(), { algorithms: ['HS256'] }) as Claims;
    } catch (error) {
      const expired = error instanceof Error && error.name === 'TokenExpiredError';
      throw new AppError('unauthorized', expired ? 'The token has expired' : 'The token is not valid');
    }
    if (claims.typ !== typ) throw new AppError('unauthorized', `Expected ${TOKEN_NAMES[typ]}`);
    return claims as T;
  }

  private key(): Promise<KeyObject> {
    this.signingKey ??= this.secrets.tokenSigningKey().then((secret) => createSecretKey(Buffer.from(secret)));
    return this.signingKey;
  }
}
