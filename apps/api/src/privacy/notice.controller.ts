import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { PrivacyNoticeResponse, ServerInfo } from '@pressroom/protocol';
import { AppError } from '../common/app-error';
import { setPageHeaders } from '../common/page-headers';
import { noticeErrorHtml, noticePageHtml } from './notice-page';
import { NoticeService } from './notice.service';

/** Who runs the server, and each event's privacy notice (JSON for pages, and a page of its own). */
@ApiTags('privacy')
@Controller()
export class NoticeController {
  constructor(private readonly notices: NoticeService) {}

  /** Public: the operator and what the server does with personal data (every page's footer). */
  @Get('server')
  server(): ServerInfo {
    return this.notices.serverInfo();
  }

  /** Public: the event's notice, built from its settings now. */
  @Get('events/:slug/privacy')
  notice(@Param('slug') slug: string): Promise<PrivacyNoticeResponse> {
    return this.notices.forEvent(slug);
  }
}

/** `/:slug/privacy` (outside `/api`): the notice as a page, with no script. */
@Controller()
export class NoticePageController {
  constructor(private readonly notices: NoticeService) {}

  @Get(':slug/privacy')
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/html; charset=utf-8')
  async page(@Param('slug') slug: string, @Res({ passthrough: true }) response: Response): Promise<string> {
    setPageHeaders(response, false);
    try {
      return noticePageHtml(await this.notices.forEvent(slug));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      response.status(error.getStatus());
      return noticeErrorHtml(error.code === 'not_found' ? 'There is no event at this address.' : error.message);
    }
  }
}
