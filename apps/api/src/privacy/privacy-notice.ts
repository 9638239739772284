import {
  UI_LANGUAGE_COOKIE,
  type PrivacyNotice,
  type PrivacyNoticeEvent,
  type PrivacyNoticeSection,
  type ServerInfo,
} from '@pressroom/protocol';
import type { Say } from '../i18n/catalog-text';

/**
 * The whole notice of an event, from what is true of it on this server, in the words of one language
 * (`say`: the "privacy" section of libs/i18n/catalogs/<language>.json). Which sentences it has follows the
 * event's settings and the server's configuration; how they read is the catalog's.
 */
export function buildPrivacyNotice(event: PrivacyNoticeEvent, server: ServerInfo, say: Say): PrivacyNotice {
  const { operator, privacy } = server;
  const hours = event.retentionHours;
  const sections: PrivacyNoticeSection[] = [];
  const section = (id: string, key: string, paragraphs: string[], items: string[] = []) =>
    sections.push({ id, heading: say(`${key}.heading`), paragraphs, items });

  section(
    'optional',
    'optional',
    [say('optional.watch'), say(event.passwordRequired ? 'optional.password' : 'optional.public')],
    [
      say('optional.chat_name'),
      say(event.questionsEnabled ? 'optional.journalist' : 'optional.journalist_no_questions'),
      say('optional.remembered'),
      say('optional.language', { cookie: UI_LANGUAGE_COOKIE }),
    ],
  );

  section(
    'stored',
    'stored',
    [say('stored.intro')],
    [
      say('stored.identity'),
      say(event.chatMode === 'pre' ? 'stored.chat_pre' : 'stored.chat_post'),
      ...(event.questionsEnabled ? [say('stored.questions')] : []),
      say('stored.hands'),
      say('stored.stage'),
      say('stored.moderation'),
      say('stored.captions'),
      say('stored.speakers'),
    ],
  );

  section(
    'who-sees',
    'who_sees',
    [],
    [
      say(event.chatMode === 'pre' ? 'who_sees.chat_pre' : 'who_sees.chat_post'),
      ...(event.questionsEnabled ? [say('who_sees.questions')] : []),
      say('who_sees.broadcast'),
      say('who_sees.moderators'),
      say('who_sees.nobody_else'),
    ],
  );

  section('retention', 'retention', [
    say('retention.deleted', { hours }),
    ...(event.purgeAt && event.status !== 'purged'
      ? [say('retention.due', { due: event.purgeAt.slice(0, 16).replace('T', ' ') })]
      : []),
    say('retention.gone'),
    ...(event.status === 'purged' ? [say('retention.purged')] : []),
  ]);

  section('recording', 'recording', [
    say('recording.what'),
    hours > 0 ? say('recording.kept', { hours }) : say('recording.not_kept'),
  ]);

  section(
    'logs',
    'logs',
    privacy.requestLogs
      ? [
          say('logs.requests'),
          say('logs.not_logged'),
          operator.name ? say('logs.kept_named', { operator: operator.name }) : say('logs.kept'),
        ]
      : [say('logs.none')],
    [say(privacy.sharedRateLimits ? 'logs.limits_shared' : 'logs.limits_memory')],
  );

  section('third-parties', 'other_sites', [
    say('other_sites.pages'),
    say(privacy.turnRelay ? 'other_sites.media_relay' : 'other_sites.media'),
    say('other_sites.restream'),
  ]);

  section('your-data', 'your_data', [
    say('your_data.download'),
    say('your_data.forget', { forgotten: say('forgotten_name') }),
    say('your_data.access', { hours: privacy.accessTokenHours }),
  ]);

  section('contact', 'contact', [
    operator.name ? say('contact.named', { operator: operator.name }) : say('contact.unnamed'),
    operator.contact ? say('contact.contact', { contact: operator.contact }) : say('contact.no_contact'),
    ...(operator.privacyUrl ? [say('contact.policy', { url: operator.privacyUrl })] : []),
  ]);

  return {
    title: say('title', { title: event.title }),
    summary: operator.name
      ? say('summary.named', { operator: operator.name, hours })
      : say('summary.unnamed', { hours }),
    sections,
  };
}
