import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { LoginResponse, ModeratorView } from '@pressroom/protocol';
import { Repository } from 'typeorm';
import { AppError } from '../common/app-error';
import { newId } from '../common/ids';
import { Environment } from '../config/environment';
import { Moderator } from './moderator.entity';
import { generatePassword, hashPassword, verifyPassword } from './password';
import { TokensService } from './tokens.service';

export const DEFAULT_ADMIN_EMAIL = 'admin@pressroom.local';

@Injectable()
export class ModeratorsService {
  private readonly logger = new Logger(ModeratorsService.name);

  constructor(
    @InjectRepository(Moderator) private readonly moderators: Repository<Moderator>,
    private readonly tokens: TokensService,
    private readonly environment: Environment,
  ) {}

  /**
   * The first moderator: from PRESSROOM_ADMIN_EMAIL/PASSWORD (which also reset that account's password),
   * or, when no moderator exists yet, one with a generated password printed this once.
   */
  async ensureFirstModerator(): Promise<{ id: string; email: string; generatedPassword: string | null }> {
    const { PRESSROOM_ADMIN_EMAIL: email, PRESSROOM_ADMIN_PASSWORD: password } = this.environment;
    if (email && password) {
      const existing = await this.moderators.findOneBy({ email: email.toLowerCase() });
      if (!existing) return { ...(await this.create(email, password)), generatedPassword: null };
      if (!(await verifyPassword(password, existing.passwordHash))) {
        await this.moderators.update(existing.id, { passwordHash: await hashPassword(password) });
      }
      return { id: existing.id, email: existing.email, generatedPassword: null };
    }
    const first = await this.moderators.findOne({ where: {}, order: { createdAt: 'ASC' } });
    if (first) return { id: first.id, email: first.email, generatedPassword: null };
    const generated = generatePassword();
    const created = await this.create(DEFAULT_ADMIN_EMAIL, generated);
    this.logger.warn(`Created moderator ${DEFAULT_ADMIN_EMAIL}; its password is shown once on the console.`);
    return { id: created.id, email: created.email, generatedPassword: generated };
  }

  async create(email: string, password: string): Promise<ModeratorView> {
    const normalized = email.toLowerCase();
    if (await this.moderators.existsBy({ email: normalized })) {
      throw new AppError('invalid_state', 'A moderator with this email exists');
    }
    const moderator = await this.moderators.save({
      id: newId(),
      email: normalized,
      passwordHash: await hashPassword(password),
      createdAt: new Date(),
    });
    return { id: moderator.id, email: moderator.email, createdAt: moderator.createdAt.toISOString() };
  }

  async list(): Promise<ModeratorView[]> {
    const all = await this.moderators.find({ order: { createdAt: 'ASC' } });
    return all.map((m) => ({ id: m.id, email: m.email, createdAt: m.createdAt.toISOString() }));
  }

  async login(email: string, password: string): Promise<LoginResponse> {
    const moderator = await this.moderators.findOneBy({ email: email.toLowerCase() });
    // Hash even for unknown emails so timing does not tell which emails exist.
    const valid = await verifyPassword(password, moderator?.passwordHash ?? (await this.decoyHash()));
    if (!moderator || !valid) throw new AppError('unauthorized', 'Wrong email or password');
    const { token, expiresAt } = await this.tokens.signModerator(moderator.id);
    return { accessToken: token, expiresAt: expiresAt!.toISOString() };
  }

  async exists(moderatorId: string): Promise<boolean> {
    return this.moderators.existsBy({ id: moderatorId });
  }

  private decoy?: Promise<string>;
  private decoyHash(): Promise<string> {
    this.decoy ??= hashPassword(generatePassword());
    return this.decoy;
  }
}
