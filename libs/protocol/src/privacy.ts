/**
 * Privacy as people read it: who runs the server, the notice of an event (its shape; the server builds it,
 * in the reader's language, from the event's settings and its own behaviour, for the notice page and the
 * console's preview alike), and "my data" (what the server holds about one participant).
 */
import type { ChatMessageView, ChatMode, EventStatus, HandView, QuestionView, Role } from './dtos';
import type { UiLanguage } from './languages';
import type { StageAppearanceView } from './stage';

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
  /** The notice's language: `?language=`, else the reader's pick, the event's language, the browser's. */
  language: UiLanguage;
  notice: PrivacyNotice;
}

/**
 * `POST /api/privacy/preview` (moderators): the notice of an event's settings as the console's form has
 * them, saved or not, in `language` (the moderator's own when left out).
 */
export interface PrivacyPreviewRequest {
  title: string;
  passwordRequired: boolean;
  /** Left out: as a new event has them (`post`, questions open, purged at the end, scheduled). */
  chatMode?: ChatMode;
  questionsEnabled?: boolean;
  retentionHours?: number;
  status?: EventStatus;
  purgeAt?: string | null;
  language?: UiLanguage;
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

/**
 * A journalist as every page and the broadcast name them: "Ana García, El País", or the name alone when
 * there is no outlet (a forgotten journalist's is erased: "Un participante", never "Un participante, ").
 * `name` as the page shows it (a forgotten one already in the page's language).
 */
export function withOutlet(name: string, outlet: string | null | undefined): string {
  const shown = outlet?.trim();
  return shown ? `${name}, ${shown}` : name;
}

/** The notice's address for an event. */
export const privacyPath = (slug: string) => `/${slug}/privacy`;

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
