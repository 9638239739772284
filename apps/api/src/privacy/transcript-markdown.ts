import { isForgottenName, type Transcript } from '@pressroom/protocol';
import { catalogText, type Say } from '../i18n/catalog-text';

const time = (iso: string) => iso.slice(11, 19);
/** Keeps user text from turning into Markdown structure. */
const escape = (text: string) => text.replace(/([\\`*_[\]<>#|])/g, '\\$1').replace(/\r?\n/g, ' ');

/**
 * The transcript as a Markdown file for people, in `language` (the moderator's; the "privacy" section's
 * `transcript.*` messages): headings, statuses and a forgotten participant's name in it; what people wrote
 * as they wrote it. Times are UTC, as stored.
 */
export function transcriptToMarkdown(transcript: Transcript, language?: string | null): string {
  const say: Say = catalogText('privacy', language);
  const { event } = transcript;
  const name = (stored: string) => (isForgottenName(stored) ? say('forgotten_name') : stored);
  const byline = (who: string, outlet: string | null) => escape(outlet ? `${name(who)} (${outlet})` : name(who));
  const published = transcript.questions.filter((q) => q.status === 'approved' || q.status === 'answered');
  const visibleChat = transcript.chat.filter((m) => m.status === 'visible');
  const lines = [
    `# ${escape(event.title)}`,
    '',
    `- ${say('transcript.starts', { time: event.startsAt })}`,
    `- ${say('transcript.started', { time: event.startedAt ?? '—' })}`,
    `- ${say('transcript.ended', { time: event.endedAt ?? '—' })}`,
    `- ${say('transcript.exported', { time: transcript.exportedAt })}`,
    '',
    `## ${say('transcript.questions', { count: published.length })}`,
    '',
    ...published.map(
      (q, index) =>
        `${index + 1}. **${byline(q.name, q.outlet)}**: ${escape(q.text)} _(${say('transcript.question_status', {
          status: q.status,
          votes: q.votes,
        })})_`,
    ),
    '',
    `## ${say('transcript.chat', { count: visibleChat.length })}`,
    '',
    ...visibleChat.map((m) => `- ${time(m.createdAt)} **${byline(m.authorName, m.authorOutlet)}**: ${escape(m.text)}`),
    '',
    `## ${say('transcript.hands', { count: transcript.hands.length })}`,
    '',
    ...transcript.hands.map(
      (h) =>
        `- ${time(h.raisedAt)} ${byline(h.name, h.outlet)}${h.topic ? `: ${escape(h.topic)}` : ''} _(${say(
          'transcript.hand_status',
          { status: h.status },
        )})_`,
    ),
    '',
    `## ${say('transcript.stage', { count: transcript.stage.length })}`,
    '',
    ...transcript.stage.map(
      (a) =>
        `- ${time(a.from)}–${a.to ? time(a.to) : say('transcript.now')} ${byline(a.name, a.outlet)} _(${say(
          'transcript.guest',
        )})_`,
    ),
    '',
    `## ${say('transcript.captions', { count: transcript.captions.length })}`,
    '',
    ...transcript.captions.map((c) => `- ${time(c.sentAt)} (${c.language}) ${escape(c.text)}`),
    '',
  ];
  return lines.join('\n');
}
