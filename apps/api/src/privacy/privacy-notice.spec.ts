import type { PrivacyNoticeEvent, ServerInfo } from '@pressroom/protocol';
import { catalogText } from '../i18n/catalog-text';
import { buildPrivacyNotice } from './privacy-notice';

const EVENT: PrivacyNoticeEvent = {
  slug: 'budget',
  title: 'Budget',
  status: 'scheduled',
  chatMode: 'post',
  questionsEnabled: true,
  passwordRequired: false,
  retentionHours: 0,
  purgeAt: null,
};
const SERVER: ServerInfo = {
  operator: { name: 'Press Office', contact: 'press@example.org', privacyUrl: null },
  privacy: { requestLogs: true, sharedRateLimits: false, turnRelay: false, accessTokenHours: 48 },
};
const english = catalogText('privacy', 'en');
const notice = (event = EVENT, server = SERVER, language = 'en') =>
  buildPrivacyNotice(event, server, catalogText('privacy', language));
const section = (server: ServerInfo, id: string, event = EVENT) => {
  const found = notice(event, server).sections.find((s) => s.id === id)!;
  return [...found.paragraphs, ...found.items].join('\n');
};
const allText = (n: ReturnType<typeof notice>) =>
  [n.title, n.summary, ...n.sections.flatMap((s) => [s.heading, ...s.paragraphs, ...s.items])].join('\n');

describe('buildPrivacyNotice', () => {
  it('says what the request log holds, or that there is none', () => {
    expect(section(SERVER, 'logs')).toContain('your network (IP) address');
    expect(section(SERVER, 'logs')).toContain('up to the operator (Press Office)');
    const quiet = { ...SERVER, privacy: { ...SERVER.privacy, requestLogs: false } };
    expect(section(quiet, 'logs')).toContain('The server does not log requests.');
    expect(section(quiet, 'logs')).not.toContain('IP');
  });

  it('mentions the relay and shared counters only when the server has them', () => {
    expect(section(SERVER, 'third-parties')).not.toContain('relay');
    const relayed = { ...SERVER, privacy: { ...SERVER.privacy, turnRelay: true, sharedRateLimits: true } };
    expect(section(relayed, 'third-parties')).toContain('the operator’s relay server');
    expect(section(relayed, 'logs')).toContain('shared memory store');
  });

  it('words the retention in hours, and says when the purge is due once the event ended', () => {
    expect(english('retention.deleted', { hours: 0 })).toContain('deleted when the event ends');
    expect(english('retention.deleted', { hours: 1 })).toContain('deleted 1 hour after the event ends');
    expect(english('retention.deleted', { hours: 72 })).toContain('deleted 72 hours after the event ends');
    const ended = { ...EVENT, status: 'ended' as const, retentionHours: 2, purgeAt: '2026-12-05T14:30:00.000Z' };
    expect(section(SERVER, 'retention', ended)).toContain('deleted 2 hours after the event ends');
    expect(section(SERVER, 'retention', ended)).toContain('2026-12-05 14:30 (UTC)');
    expect(notice(ended).summary).toBe('Run by Press Office. What you give is deleted 2 hours after the event ends.');
  });

  it('says when the data of the event is already gone', () => {
    const purged = { ...EVENT, status: 'purged' as const };
    expect(section(SERVER, 'retention', purged)).toContain('its data has been deleted');
    expect(section(SERVER, 'retention')).not.toContain('has been deleted');
  });

  it('reads in the language asked for, with the same sections and the operator as configured', () => {
    const inEnglish = notice();
    for (const language of ['es', 'fr', 'it', 'nl', 'de']) {
      const translated = notice({ ...EVENT, retentionHours: 24 }, SERVER, language);
      expect(translated.sections.map((s) => s.id)).toEqual(inEnglish.sections.map((s) => s.id));
      expect(allText(translated)).toContain('Press Office');
      expect(allText(translated)).toContain('press@example.org');
      expect(allText(translated)).toContain('24');
      expect(translated.sections.find((s) => s.id === 'stored')!.heading).not.toBe('What the server stores about you');
    }
    expect(notice(EVENT, SERVER, 'es').sections[0]!.heading).not.toBe(inEnglish.sections[0]!.heading);
  });
});
