import { Controller, Delete, Get, Param, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { ForgetMeResponse, MyData } from '@pressroom/protocol';
import { bearerToken } from '../auth/moderator.guard';
import { MyDataService } from './my-data.service';

/** "My data" for every participant, with the access token they got when they joined. */
@ApiTags('privacy')
@Controller('events/:slug/me')
export class MeController {
  constructor(private readonly myData: MyDataService) {}

  /** Everything the server holds about the caller in this event, and nothing about anyone else. */
  @Get()
  @ApiBearerAuth()
  get(@Param('slug') slug: string, @Req() request: Request): Promise<MyData> {
    return this.myData.collect(slug, bearerToken(request));
  }

  /** Forget me: the caller's name and outlet are erased everywhere; their messages stay, signed "A participant". */
  @Delete()
  @ApiBearerAuth()
  forget(@Param('slug') slug: string, @Req() request: Request): Promise<ForgetMeResponse> {
    return this.myData.forget(slug, bearerToken(request));
  }
}
