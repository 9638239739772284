import { Injectable } from '@nestjs/common';
import type { PrivacyNoticeEvent, PrivacyNoticeResponse, UiLanguage } from '@pressroom/protocol';
import { Environment } from '../config/environment';
import { toEventDetails } from '../events/event-views';
import { EventsService } from '../events/events.service';
import { catalogText } from '../i18n/catalog-text';
import { buildPrivacyNotice } from './privacy-notice';
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

  /** The event's notice, in the language `languageFor` picks knowing the event's own (null: none set). */
  async forEvent(
    slug: string,
    languageFor: (eventLanguage: UiLanguage | null) => UiLanguage,
  ): Promise<PrivacyNoticeResponse> {
    const details = toEventDetails(await this.events.findBySlug(slug));
    const event: PrivacyNoticeEvent = {
      slug: details.slug,
      title: details.title,
      status: details.status,
      chatMode: details.chatMode,
      questionsEnabled: details.questionsEnabled,
      passwordRequired: details.passwordRequired,
      retentionHours: details.retentionHours,
      purgeAt: details.purgeAt,
    };
    return this.notice(event, languageFor(details.language));
  }

  /** The notice of settings that may not be saved yet (the console's preview), in `language`. */
  notice(event: PrivacyNoticeEvent, language: UiLanguage): PrivacyNoticeResponse {
    const server = this.serverInfo();
    return { event, server, language, notice: buildPrivacyNotice(event, server, catalogText('privacy', language)) };
  }
}
