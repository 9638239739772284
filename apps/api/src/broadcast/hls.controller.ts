import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { hlsPassOf } from '../access/hls-pass';
import { notFound } from '../common/app-error';
import { BroadcastService } from './broadcast.service';
import { HlsAccess } from './hls-access';

/**
 * The broadcast as HLS: `/hls/:slug/index.m3u8` and the segments it lists (outside the `/api`
 * prefix, like `/health`). Names are checked against the few the broadcast writes, so no path
 * reaches outside the event's directory.
 */
@ApiTags('broadcast')
@Controller('hls')
export class HlsController {
  constructor(
    private readonly broadcasts: BroadcastService,
    private readonly access: HlsAccess,
  ) {}

  @Get(':slug/:file')
  @ApiOperation({ summary: 'The HLS playlist (index.m3u8), init segments and media segments of an event' })
  async file(
    @Param('slug') slug: string,
    @Param('file') file: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const viewer = await this.access.check(slug, hlsPassOf(request, slug));
    // A public stream may be played by any site's own player (Shaka, video.js); a password-protected one
    // only by this origin's page, which holds the pass.
    if (!viewer.private) response.setHeader('Access-Control-Allow-Origin', '*');
    const served = await this.broadcasts.hlsFile(slug, file);
    response.setHeader('Content-Type', served.contentType);
    // A password-protected stream must not sit in a shared cache (a CDN) for everyone to fetch.
    response.setHeader(
      'Cache-Control',
      viewer.private ? served.cacheControl.replace('public', 'private') : served.cacheControl,
    );
    response.setHeader('X-Content-Type-Options', 'nosniff');
    if ('body' in served) {
      response.send(Buffer.from(served.body));
      return;
    }
    await new Promise<void>((resolve, reject) =>
      response.sendFile(served.path, { cacheControl: false, dotfiles: 'deny' }, (error) =>
        error && !response.headersSent ? reject(notFound('File')) : resolve(),
      ),
    );
  }
}
