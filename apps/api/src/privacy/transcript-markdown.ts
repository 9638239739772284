import type { Transcript } from '@pressroom/protocol';

const time = (iso: string) => iso.slice(11, 19);
/** Keeps user text from turning into Markdown structure. */
const escape = (text: string) => text.replace(/([\\`*_[\]<>#|])/g, '\\$1').replace(/\r?\n/g, ' ');
const byline = (name: string, outlet: string | null) => escape(outlet ? `${name} (${outlet})` : name);

export function transcriptToMarkdown(transcript: Transcript): string {
  const { event } = transcript;
  const published = transcript.questions.filter((q) => q.status === 'approved' || q.status === 'answered');
  const visibleChat = transcript.chat.filter((m) => m.status === 'visible');
  const lines = [
    `# ${escape(event.title)}`,
    '',
    `- Starts: ${event.startsAt}`,
    `- Started: ${event.startedAt ?? '—'}`,
    `- Ended: ${event.endedAt ?? '—'}`,
    `- Exported: ${transcript.exportedAt}`,
    '',
    `## Questions (${published.length})`,
    '',
    ...published.map(
      (q, index) =>
        `${index + 1}. **${byline(q.name, q.outlet)}**: ${escape(q.text)} _(${q.status}, ${q.votes} votes)_`,
    ),
    '',
    `## Chat (${visibleChat.length})`,
    '',
    ...visibleChat.map((m) => `- ${time(m.createdAt)} **${byline(m.authorName, m.authorOutlet)}**: ${escape(m.text)}`),
    '',
    `## Raised hands (${transcript.hands.length})`,
    '',
    ...transcript.hands.map(
      (h) =>
        `- ${time(h.raisedAt)} ${byline(h.name, h.outlet)}${h.topic ? `: ${escape(h.topic)}` : ''} _(${h.status})_`,
    ),
    '',
    `## On stage (${transcript.stage.length})`,
    '',
    ...transcript.stage.map(
      (a) => `- ${time(a.from)}–${a.to ? time(a.to) : 'now'} ${byline(a.name, a.outlet)} _(guest)_`,
    ),
    '',
    `## Captions (${transcript.captions.length})`,
    '',
    ...transcript.captions.map((c) => `- ${time(c.sentAt)} (${c.language}) ${escape(c.text)}`),
    '',
  ];
  return lines.join('\n');
}
