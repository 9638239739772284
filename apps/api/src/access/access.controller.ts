import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { JoinResponse, SpeakerInviteView } from '@pressroom/protocol';
import { CreateSpeakerDto, JoinDto } from './access.dto';
import { AccessService } from './access.service';
import { InvitesService } from './invites.service';
import { bearerToken, ModeratorGuard } from '../auth/moderator.guard';
import { setHlsPass } from './hls-pass';
import { JsonBodyOnly } from '../common/json-body.guard';
import { JoinThrottle } from '../common/throttles';
import { Environment } from '../config/environment';
import { isHttps } from '../config/settings';

@ApiTags('access')
@Controller('events/:slug')
export class AccessController {
  constructor(
    private readonly access: AccessService,
    private readonly invites: InvitesService,
    private readonly environment: Environment,
  ) {}

  /**
   * Audience (optional name, outlet, password), speakers (invite) and moderators (bearer login) get an
   * access token, and a cookie that lets their browser play the event's HLS when it has a password.
   * JSON only: another site's form cannot make its visitors join.
   */
  @Post('join')
  @HttpCode(200)
  @JsonBodyOnly()
  @JoinThrottle()
  async join(
    @Param('slug') slug: string,
    @Body() dto: JoinDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<JoinResponse> {
    const { joined, hlsPass } = await this.access.join(slug, dto, bearerToken(request));
    if (hlsPass) setHlsPass(response, slug, hlsPass, isHttps(this.environment));
    return joined;
  }

  @Post('speakers')
  @UseGuards(ModeratorGuard)
  @ApiBearerAuth()
  createSpeaker(@Param('slug') slug: string, @Body() dto: CreateSpeakerDto): Promise<SpeakerInviteView> {
    return this.invites.create(slug, dto.name, dto.role, dto.language ?? null);
  }

  @Get('speakers')
  @UseGuards(ModeratorGuard)
  @ApiBearerAuth()
  listSpeakers(@Param('slug') slug: string): Promise<SpeakerInviteView[]> {
    return this.invites.list(slug);
  }

  @Delete('speakers/:inviteId')
  @UseGuards(ModeratorGuard)
  @ApiBearerAuth()
  revokeSpeaker(@Param('slug') slug: string, @Param('inviteId') inviteId: string): Promise<SpeakerInviteView> {
    return this.invites.revoke(slug, inviteId);
  }
}
