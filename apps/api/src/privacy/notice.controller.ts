import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  isUiLanguage,
  uiLanguageCookie,
  UI_LANGUAGES,
  type PrivacyNoticeResponse,
  type ServerInfo,
} from '@pressroom/protocol';
import { ModeratorGuard } from '../auth/moderator.guard';
import { AppError } from '../common/app-error';
import { setPageHeaders } from '../common/page-headers';
import { catalogText } from '../i18n/catalog-text';
import { languageQuery, requestLanguage } from '../i18n/request-language';
import { noticeErrorHtml, noticePageHtml } from './notice-page';
import { NoticeService } from './notice.service';
import { PrivacyPreviewDto } from './privacy-preview.dto';

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

  /**
   * Public: the event's notice, built from its settings now, in `?language=`, else the language its page
   * opens in for this reader (their pick, the event's language, their browser's).
   */
  @Get('events/:slug/privacy')
  @ApiQuery({ name: 'language', enum: UI_LANGUAGES, required: false })
  notice(
    @Param('slug') slug: string,
    @Query('language') language: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PrivacyNoticeResponse> {
    const asked = languageQuery(language);
    return this.notices.forEvent(slug, (event) => asked ?? requestLanguage(request, response, event));
  }

  /** Moderators: the notice of an event's settings as the form has them, before they are saved. */
  @Post('privacy/preview')
  @HttpCode(200)
  @UseGuards(ModeratorGuard)
  @ApiBearerAuth()
  preview(
    @Body() dto: PrivacyPreviewDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): PrivacyNoticeResponse {
    // What is left out is as a new event has it.
    const event = {
      slug: '',
      title: dto.title,
      status: dto.status ?? 'scheduled',
      chatMode: dto.chatMode ?? 'post',
      questionsEnabled: dto.questionsEnabled ?? true,
      passwordRequired: dto.passwordRequired,
      retentionHours: dto.retentionHours ?? 0,
      purgeAt: dto.purgeAt ?? null,
    };
    return this.notices.notice(event, dto.language ?? requestLanguage(request, response, null));
  }
}

/**
 * `/:slug/privacy` (outside `/api`): the notice as a page, with no script, in the reader's language. Its
 * language links (`?language=fr`) are a pick from a menu: remembered in the same cookie the pages use.
 */
@Controller()
export class NoticePageController {
  constructor(private readonly notices: NoticeService) {}

  @Get(':slug/privacy')
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/html; charset=utf-8')
  async page(
    @Param('slug') slug: string,
    @Query('language') language: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    setPageHeaders(response, false);
    const picked = isUiLanguage(language) ? language : undefined;
    if (picked) response.append('Set-Cookie', uiLanguageCookie(picked, request.secure));
    try {
      const notice = await this.notices.forEvent(slug, (event) => picked ?? requestLanguage(request, response, event));
      return noticePageHtml(notice, catalogText('privacy', notice.language));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      response.status(error.getStatus());
      // No event to take a language from: the reader's own, or their browser's.
      const chosen = picked ?? requestLanguage(request, response, null);
      const say = catalogText('privacy', chosen);
      return noticeErrorHtml(chosen, say, error.code === 'not_found' ? say('page.not_found') : error.message);
    }
  }
}
