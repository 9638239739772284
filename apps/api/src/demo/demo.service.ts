import { Injectable } from '@nestjs/common';
import { InvitesService } from '../access/invites.service';
import { AppError } from '../common/app-error';
import { EventsService } from '../events/events.service';

export const DEMO_SLUG = 'demo';

/** The demo event `npm start` opens: a scheduled press conference with one speaker invite. */
@Injectable()
export class DemoService {
  constructor(
    private readonly events: EventsService,
    private readonly invites: InvitesService,
  ) {}

  async ensureDemoEvent(moderatorId: string): Promise<{ slug: string; inviteUrl: string }> {
    const existing = await this.events.findBySlug(DEMO_SLUG).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'not_found') return null;
      throw error;
    });
    if (!existing || existing.status === 'purged') {
      if (existing) throw new AppError('invalid_state', 'The demo event was purged; delete data/ to start afresh');
      await this.events.create(
        {
          slug: DEMO_SLUG,
          title: 'Pressroom demo press conference',
          description: 'A demo event: open the console to run it, the invite link to speak, the viewer page to watch.',
          startsAt: new Date(Date.now() + 15 * 60_000).toISOString(),
          chatMode: 'post',
          questionsEnabled: true,
          retentionHours: 24,
        },
        moderatorId,
      );
    }
    const invites = await this.invites.list(DEMO_SLUG);
    const invite = invites.find((i) => !i.revokedAt) ?? (await this.invites.create(DEMO_SLUG, 'Demo speaker'));
    return { slug: DEMO_SLUG, inviteUrl: invite.inviteUrl };
  }
}
