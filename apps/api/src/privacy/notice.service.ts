import { Injectable } from '@nestjs/common';
import { buildPrivacyNotice, type PrivacyNoticeResponse } from '@pressroom/protocol';
import { Environment } from '../config/environment';
import { toEventDetails } from '../events/event-views';
import { EventsService } from '../events/events.service';
import { serverInfo } from './server-info';

/** The privacy notice of an event, from its settings as they are now and the server's configuration. */
@Injectable()
export class NoticeService {
  constructor(
    private readonly events: EventsService,
    private readonly environment: Environment,
  ) {}

  serverInfo() {
    return serverInfo(this.environment);
  }

  async forEvent(slug: string): Promise<PrivacyNoticeResponse> {
    const details = toEventDetails(await this.events.findBySlug(slug));
    const event = {
      slug: details.slug,
      title: details.title,
      status: details.status,
      chatMode: details.chatMode,
      questionsEnabled: details.questionsEnabled,
      passwordRequired: details.passwordRequired,
      retentionHours: details.retentionHours,
      purgeAt: details.purgeAt,
    };
    const server = this.serverInfo();
    return { event, server, notice: buildPrivacyNotice(event, server) };
  }
}
