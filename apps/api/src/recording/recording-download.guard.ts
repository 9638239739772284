import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { ModeratorsService } from '../auth/moderators.service';
import { TokensService } from '../auth/tokens.service';
import { AppError } from '../common/app-error';
import { EventsService } from '../events/events.service';
import { ModeratorsOnlyGuard } from './moderators-only.guard';

/** What `CurrentModerator` reads. */
interface DownloadRequest extends Request {
  moderatorId?: string;
}

/**
 * The recording's MP4: for a moderator's bearer token, as the rest of the recording, or for the key of
 * its download link (`?key=`), which a plain link or a download manager can carry. A key opens the
 * recording of its own event and nothing else; a link with a key is judged by its key alone.
 */
@Injectable()
export class RecordingDownloadGuard implements CanActivate {
  constructor(
    private readonly moderatorsOnly: ModeratorsOnlyGuard,
    private readonly tokens: TokensService,
    private readonly moderators: ModeratorsService,
    private readonly events: EventsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<DownloadRequest>();
    const key = request.query['key'];
    if (key === undefined) return this.moderatorsOnly.canActivate(context);
    const claims = await this.tokens.verifyRecordingKey(key).catch((error: unknown) => {
      throw error instanceof AppError
        ? new AppError(
            'unauthorized',
            `This download link does not work (${error.message}): the console gives a new one`,
          )
        : error;
    });
    const event = await this.events.findBySlug(String(request.params['slug']));
    if (claims.eid !== event.id) throw new AppError('forbidden', 'This download link is for another event');
    if (!(await this.moderators.exists(claims.sub))) {
      throw new AppError('unauthorized', 'This account no longer exists');
    }
    request.moderatorId = claims.sub;
    return true;
  }
}
