import { Controller, Get, Header, Param, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { RecordingStatus } from '@pressroom/protocol';
import type { Response } from 'express';
import { CurrentModerator } from '../auth/moderator.guard';
import { notFound } from '../common/app-error';
import { ModeratorsOnlyGuard } from './moderators-only.guard';
import { RecordingDownloadGuard } from './recording-download.guard';
import { RecordingService, RETRY_AFTER_SECONDS, type RecordingFile } from './recording.service';

/** What `sendFile` (the `send` module) fails with: a status, and for a range past the end its Content-Range. */
type SendError = Error & { status?: number; headers?: Record<string, string> };

/** An ended event's recording as one MP4 file, for moderators, until the purge. */
@ApiTags('broadcast')
@ApiBearerAuth()
@Controller('events/:slug')
export class RecordingController {
  constructor(private readonly recordings: RecordingService) {}

  @Get('recording')
  @UseGuards(ModeratorsOnlyGuard)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: "The recording's state: not_ended, preparing (ask again after retryAfterSeconds), ready, empty, failed",
  })
  @ApiResponse({
    status: 200,
    description: 'A RecordingStatus (libs/protocol): state, size, duration, a download URL with a short-lived key',
  })
  @ApiResponse({ status: 403, description: 'Not a moderator' })
  @ApiResponse({ status: 404, description: 'No such event, or it was purged with its recording' })
  status(@Param('slug') slug: string, @CurrentModerator() moderatorId: string): Promise<RecordingStatus> {
    return this.recordings.status(slug, moderatorId);
  }

  @Get('recording.mp4')
  @UseGuards(RecordingDownloadGuard)
  @ApiOperation({
    summary: 'The recording as one MP4 (H.264 + AAC, faststart), from the start of the event to its end',
    description: "With the moderator's bearer token, or with the key of the status's downloadUrl instead",
  })
  @ApiQuery({ name: 'key', required: false, description: "The status's download key, for a plain link" })
  @ApiProduces('video/mp4')
  @ApiResponse({ status: 200, description: 'The MP4, as an attachment; byte ranges are served (206)' })
  @ApiResponse({ status: 202, description: 'Being made: ask again after Retry-After seconds (a RecordingStatus)' })
  @ApiResponse({ status: 401, description: 'No moderator token, or a key that is not valid or has expired' })
  @ApiResponse({ status: 403, description: 'Not a moderator, or a key of another event' })
  @ApiResponse({ status: 404, description: 'No such event, or it was purged with its recording' })
  @ApiResponse({ status: 409, description: 'The event has not ended yet, or it was never on air' })
  @ApiResponse({ status: 416, description: 'A byte range past the end: Content-Range gives the size (bytes */size)' })
  async download(
    @Param('slug') slug: string,
    @CurrentModerator() moderatorId: string,
    @Res() response: Response,
  ): Promise<void> {
    await send(response, await this.recordings.download(slug, moderatorId), 'Recording');
  }

  @Get('recording/captions/:file')
  @UseGuards(RecordingDownloadGuard)
  @ApiOperation({
    summary: 'One caption language of the recording as WebVTT (`<language>.vtt`), timed against the MP4',
    description: "The status's captions give each file's address with a key; the moderator's bearer token works too",
  })
  @ApiQuery({ name: 'key', required: false, description: "The status's download key, for a plain link" })
  @ApiProduces('text/vtt')
  @ApiResponse({ status: 200, description: 'The WebVTT file, as an attachment' })
  @ApiResponse({ status: 202, description: 'Being made: ask again after Retry-After seconds (a RecordingStatus)' })
  @ApiResponse({ status: 401, description: 'No moderator token, or a key that is not valid or has expired' })
  @ApiResponse({ status: 403, description: 'Not a moderator, or a key of another event' })
  @ApiResponse({ status: 404, description: 'No such event or caption language, or it was purged with its recording' })
  @ApiResponse({ status: 409, description: 'The event has not ended yet, or it was never on air' })
  async captions(
    @Param('slug') slug: string,
    @Param('file') file: string,
    @CurrentModerator() moderatorId: string,
    @Res() response: Response,
  ): Promise<void> {
    const language = /^(.+)\.vtt$/.exec(file)?.[1];
    if (!language) throw notFound('Caption file');
    const recording = await this.recordings.captionsFile(slug, language, moderatorId);
    await send(response, recording, 'Caption file');
  }
}

/** A recording's file as an attachment (byte ranges served), or the status (202) while it is being made. */
async function send(response: Response, recording: RecordingFile | RecordingStatus, what: string): Promise<void> {
  response.setHeader('Cache-Control', 'private, no-store');
  if (!('path' in recording)) {
    response.status(202).setHeader('Retry-After', String(recording.retryAfterSeconds ?? RETRY_AFTER_SECONDS));
    response.json(recording);
    return;
  }
  response.attachment(recording.fileName);
  await new Promise<void>((resolve, reject) =>
    response.sendFile(recording.path, { cacheControl: false, dotfiles: 'deny' }, (error?: SendError) => {
      if (!error || response.headersSent) return resolve();
      if (error.status !== 416) return reject(notFound(what));
      // A range past the end (RFC 9110 §15.5.17): say how long the file is, so a download manager can resume.
      response.status(416).setHeader('Content-Range', error.headers?.['Content-Range'] ?? 'bytes */*');
      response.end();
      resolve();
    }),
  );
}
