import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { Repository } from 'typeorm';
import { Environment } from '../config/environment';
import { AppSecret } from './app-secret.entity';

const TOKEN_SECRET = 'token_signing_key';

/** The token signing key: PRESSROOM_SECRET, or one generated on first start and kept in the database. */
@Injectable()
export class SecretsService {
  constructor(
    @InjectRepository(AppSecret) private readonly secrets: Repository<AppSecret>,
    private readonly environment: Environment,
  ) {}

  async tokenSigningKey(): Promise<string> {
    if (this.environment.PRESSROOM_SECRET) return this.environment.PRESSROOM_SECRET;
    const stored = await this.secrets.findOneBy({ name: TOKEN_SECRET });
    if (stored) return stored.value;
    await this.secrets
      .createQueryBuilder()
      .insert()
      .values({ name: TOKEN_SECRET, value: randomBytes(48).toString('base64url') })
      .orIgnore()
      .execute();
    // Another API node may have won the race: read back whatever is stored.
    return (await this.secrets.findOneByOrFail({ name: TOKEN_SECRET })).value;
  }
}
