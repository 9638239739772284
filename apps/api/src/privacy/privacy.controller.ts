import { Controller, Get, Header, Param, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { UI_LANGUAGES, type Transcript } from '@pressroom/protocol';
import { ModeratorGuard } from '../auth/moderator.guard';
import { languageQuery, requestLanguage } from '../i18n/request-language';
import { transcriptToMarkdown } from './transcript-markdown';
import { TranscriptService } from './transcript.service';

@ApiTags('privacy')
@Controller('events/:slug')
export class PrivacyController {
  constructor(private readonly transcripts: TranscriptService) {}

  /**
   * The whole conversation (JSON, or Markdown with `?format=markdown`, in `?language=` or the moderator's own)
   * while it is not purged yet.
   */
  @Get('transcript')
  @UseGuards(ModeratorGuard)
  @ApiBearerAuth()
  @ApiQuery({ name: 'format', enum: ['json', 'markdown'], required: false })
  @ApiQuery({ name: 'language', enum: UI_LANGUAGES, required: false })
  @Header('Cache-Control', 'no-store')
  async transcript(
    @Param('slug') slug: string,
    @Query('format') format: string | undefined,
    @Query('language') language: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Transcript | string> {
    const asked = languageQuery(language);
    const transcript = await this.transcripts.build(slug);
    if (format !== 'markdown') return transcript;
    response.type('text/markdown; charset=utf-8');
    response.attachment(`${slug}-transcript.md`);
    return transcriptToMarkdown(transcript, asked ?? requestLanguage(request, response, null));
  }
}
