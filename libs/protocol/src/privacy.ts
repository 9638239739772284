/**
 * Privacy as people read it: who runs the server, the notice of an event (built here, once, from the
 * event's settings and the server's behaviour, so the event page and the console's preview say the same
 * thing), and "my data" (what the server holds about one participant).
 */
import type { ChatMessageView, ChatMode, EventStatus, HandView, QuestionView, Role } from './dtos';
import type { StageAppearanceView } from './stage';
import { UI_LANGUAGE_COOKIE } from './languages';

/** The organisation running the server (PRESSROOM_OPERATOR_NAME, _CONTACT, PRESSROOM_PRIVACY_URL). */
export interface OperatorInfo {
  name: string | null;
  /** An e-mail or postal address. */
  contact: string | null;
  /** The operator's full privacy policy. */
  privacyUrl: string | null;
}

/** What the server does with personal data whatever the event: read from its configuration. */
export interface ServerPrivacyFacts {
  /** API request logs are written (LOG_LEVEL info or more verbose): method, path, status, network address. */
  requestLogs: boolean;
  /** Rate limits are counted in Redis (shared by several API nodes) rather than in memory. */
  sharedRateLimits: boolean;
  /** A TURN relay is offered to people in the studio whose network blocks direct media. */
  turnRelay: boolean;
  /** How long an access token works, hours. */
  accessTokenHours: number;
}

/** `GET /api/server`: public, what every page's footer and the notice need. */
export interface ServerInfo {
  operator: OperatorInfo;
  privacy: ServerPrivacyFacts;
}

/** The settings of an event the notice depends on (the console's form has them before saving). */
export interface PrivacyNoticeEvent {
  slug: string;
  title: string;
  status: EventStatus;
  chatMode: ChatMode;
  questionsEnabled: boolean;
  passwordRequired: boolean;
  /** Hours after the end until the purge; 0 = at the end. */
  retentionHours: number;
  /** When the purge is due, once the event has ended. */
  purgeAt: string | null;
}

/** `GET /api/events/:slug/privacy`: the inputs of the notice, and the notice. */
export interface PrivacyNoticeResponse {
  event: PrivacyNoticeEvent;
  server: ServerInfo;
  notice: PrivacyNotice;
}

export interface PrivacyNoticeSection {
  /** Stable, for anchors and tests: `optional`, `stored`, `who-sees`, `retention`, `recording`, `logs`, … */
  id: string;
  heading: string;
  paragraphs: string[];
  /** A bullet list after the paragraphs. */
  items: string[];
}

export interface PrivacyNotice {
  title: string;
  /** One sentence: who runs this and the retention. */
  summary: string;
  sections: PrivacyNoticeSection[];
}

/** What a forgotten participant's name becomes wherever it was shown or stored. */
export const FORGOTTEN_NAME = 'A participant';

/** A name that is a forgotten participant's: pages show it in their own language ("Un participante"). */
export const isForgottenName = (name: string | null | undefined): boolean => name === FORGOTTEN_NAME;

/** The notice's address for an event. */
export const privacyPath = (slug: string) => `/${slug}/privacy`;

const hours = (n: number) => `${n} hour${n === 1 ? '' : 's'}`;

/** "deleted 24 hours after the event ends" / "deleted when the event ends". */
export function retentionPhrase(retentionHours: number): string {
  return retentionHours > 0 ? `deleted ${hours(retentionHours)} after the event ends` : 'deleted when the event ends';
}

/** The whole notice, in plain English, from what is true of this event on this server. */
export function buildPrivacyNotice(event: PrivacyNoticeEvent, server: ServerInfo): PrivacyNotice {
  const { operator, privacy } = server;
  const runBy = operator.name ?? 'an operator who has not given their name';
  const deleted = retentionPhrase(event.retentionHours);
  const when =
    event.purgeAt && event.status !== 'purged' ? ` (due ${event.purgeAt.slice(0, 16).replace('T', ' ')} UTC)` : '';
  const sections: PrivacyNoticeSection[] = [];
  const section = (id: string, heading: string, paragraphs: string[], items: string[] = []) =>
    sections.push({ id, heading, paragraphs, items });

  section(
    'optional',
    'What you need to give',
    [
      'Watching needs nothing: no account, no name, no e-mail.',
      event.passwordRequired
        ? 'This event needs a password to watch. It is checked, not stored with anything about you.'
        : 'This event is public: anyone with the link can watch.',
    ],
    [
      'A display name, only if you want to write in the chat.',
      event.questionsEnabled
        ? 'A name and the outlet you work for, only if you join as a journalist to ask questions or raise your hand.'
        : 'A name and the outlet you work for, only if you join as a journalist to raise your hand (questions are closed for this event).',
      'Your browser remembers the name and outlet you typed, on this device only, so you need not type them again. The server never reads that copy.',
      `If you pick a language from the menu, your browser remembers it (a cookie named ${UI_LANGUAGE_COOKIE}, and its local storage) so that pages open in it. It holds the language and nothing else.`,
    ],
  );

  section(
    'stored',
    'What the server stores about you',
    ['Only what you type or do in this event, linked to a random number for this event. Not your network address.'],
    [
      'The name and outlet you gave, and whether you joined as a journalist, a viewer or a speaker.',
      event.chatMode === 'pre'
        ? 'Your chat messages. A moderator approves each one before others see it.'
        : 'Your chat messages. Others see them at once; moderators can hide them.',
      ...(event.questionsEnabled
        ? [
            'Your questions and what became of them (waiting, approved, rejected, answered), and which questions you upvoted.',
          ]
        : []),
      'Raised hands, with the topic you typed.',
      'If a moderator invites you on stage and you accept: when your turn started and ended, with your name and outlet.',
      'If a moderator muted or banned you, and what moderators did with your messages, questions and hands.',
      'Live captions, when the event has a captioner: the text of what was said, with its time.',
      'Speakers: the name the moderators gave your invitation.',
    ],
  );

  section(
    'who-sees',
    'Who sees what',
    [],
    [
      event.chatMode === 'pre'
        ? 'Everyone at the event: chat messages once a moderator approved them, with your name and outlet.'
        : 'Everyone at the event: chat messages, with your name and outlet.',
      ...(event.questionsEnabled
        ? [
            'Everyone at the event and the speakers: approved questions with your name and outlet, and how many upvotes they have. Nobody sees who upvoted.',
          ]
        : []),
      'Everyone watching the broadcast: the question a moderator puts on air, with your name and outlet, and anyone on stage (picture, voice, name and outlet).',
      'Moderators: everything above, also messages and questions before approval or after they were hidden or rejected, raised hands and their topics. They can export a transcript with names and outlets before it is deleted.',
      'Nobody else: the server sends nothing about you to any other company or site.',
    ],
  );

  section('retention', 'How long it is kept', [
    `Everything above is ${deleted}${when}. Then only counts remain (how many people, messages and questions), with no names and no text.`,
    'Deleted means gone from the files on the server, not only hidden.',
    ...(event.status === 'purged'
      ? ['This event is over and its data has been deleted: only the counts are left.']
      : []),
  ]);

  section('recording', 'Recording', [
    'From the start of the broadcast to its end, everything on air is recorded: the speakers, questions put on air with their name and outlet, and anyone on stage.',
    event.retentionHours > 0
      ? `The recording is kept for ${hours(event.retentionHours)} after the event ends, for the moderators to download, then deleted.`
      : 'The recording is not kept: it is deleted when the event ends.',
  ]);

  section(
    'logs',
    'What the server logs',
    privacy.requestLogs
      ? [
          "The server's log records each request pages make to its data interface (joining, loading the event, downloading your data): the time, the address asked for (without anything after a question mark), the answer, and your network (IP) address. It never records names, outlets, messages, questions, passwords or access keys.",
          'Loading the pages, the live connection (chat, questions) and the video are not logged.',
          `How long the log is kept is up to the operator${operator.name ? ` (${operator.name})` : ''}.`,
        ]
      : ['The server does not log requests.'],
    [
      `To stop abuse, the server counts joins and logins per network address for one minute${privacy.sharedRateLimits ? ' (in a shared memory store of its own)' : ', in memory only'}, and open connections per network address while they are open.`,
    ],
  );

  section('third-parties', 'Other sites', [
    'Pages load nothing from any other site: no fonts, analytics, trackers or advertising. Your browser enforces this.',
    privacy.turnRelay
      ? "Speakers' and guests' camera and microphone go only to this server, or through the operator's relay server when a network blocks them."
      : "Speakers' and guests' camera and microphone go only to this server.",
    'Moderators may also send the broadcast (not your data) to platforms such as YouTube; what those platforms show is under their own rules.',
  ]);

  section('your-data', 'Your data', [
    'On the event page (or in the studio, for speakers), "Download my data" gives you everything the server holds about you, as a file.',
    `"Forget me" erases your name and outlet at once, everywhere: in what others see, in the transcript and in the database. Your messages and questions stay, signed "${FORGOTTEN_NAME}", because others have read and answered them and the conversation would not make sense without them; they are deleted with everything else. What was already broadcast stays in the recording until it is deleted.`,
    `Your access works for ${hours(privacy.accessTokenHours)} from the moment you join.`,
  ]);

  const contact = [
    operator.name ? `This server is run by ${operator.name}.` : 'The operator of this server has not given their name.',
    operator.contact ? `Contact: ${operator.contact}.` : 'The operator has not given a contact.',
    ...(operator.privacyUrl ? [`Full privacy policy: ${operator.privacyUrl}`] : []),
  ];
  section('contact', 'Who runs this', contact);

  return {
    title: `Privacy: ${event.title}`,
    summary: `Run by ${runBy}. What you give is ${deleted}.`,
    sections,
  };
}

/** `GET /api/events/:slug/me`: everything the server holds about the caller in this event. */
export interface MyData {
  event: { slug: string; title: string; retentionHours: number; purgeAt: string | null };
  exportedAt: string;
  identity: {
    participantId: string;
    role: Role;
    name: string | null;
    outlet: string | null;
    joinedAt: string;
    muted: boolean;
    banned: boolean;
    /** Speakers: the name on their invitation. */
    inviteName: string | null;
  };
  chat: ChatMessageView[];
  questions: QuestionView[];
  /** The questions this participant upvoted. */
  votes: Array<{ questionId: string; questionText: string }>;
  hands: HandView[];
  stage: StageAppearanceView[];
}

/** `DELETE /api/events/:slug/me`. */
export interface ForgetMeResponse {
  forgotten: true;
  /** How many stored items now show `FORGOTTEN_NAME` instead of the name. */
  items: number;
}
