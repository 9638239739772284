import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppSecret } from './app-secret.entity';
import { AuthController } from './auth.controller';
import { ModeratorGuard } from './moderator.guard';
import { Moderator } from './moderator.entity';
import { ModeratorsService } from './moderators.service';
import { SecretsService } from './secrets.service';
import { TokensService } from './tokens.service';

/** Moderator accounts, sign-in, the server secret and the signing of every token: the bottom of the access layers. */
@Module({
  imports: [TypeOrmModule.forFeature([Moderator, AppSecret])],
  controllers: [AuthController],
  providers: [SecretsService, TokensService, ModeratorsService, ModeratorGuard],
  exports: [TokensService, ModeratorsService, ModeratorGuard, SecretsService],
})
export class AuthModule {}
