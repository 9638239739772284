import type { ChatMode, CreateEventRequest, EventDetails, UiLanguage, UpdateEventRequest } from '@pressroom/protocol';

/** What the event form holds: strings as the inputs give them, the start as a local `datetime-local` value. */
export interface EventFormValue {
  title: string;
  description: string;
  /** Empty: the server makes one from the title. Only when creating. */
  slug: string;
  /** `YYYY-MM-DDTHH:mm` in the moderator's time zone. */
  startsAt: string;
  /** Empty: none when creating, unchanged when editing. */
  password: string;
  /** Editing only: take the password away. */
  removePassword: boolean;
  chatMode: ChatMode;
  questionsEnabled: boolean;
  retentionHours: number;
  slowModeSeconds: number;
  /** The language the event's pages open in; empty: each visitor's browser language. */
  language: UiLanguage | '';
}

/** Lower-case letters, digits and dashes, 3 to 64, not starting or ending with a dash (as the API checks). */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{1,62}[a-z0-9])$/;
/** The API keeps chat and identities at most a year after the end. */
export const MAX_RETENTION_HOURS = 24 * 365;
export const MAX_SLOW_MODE_SECONDS = 3600;

/** A new event: starting at the next full hour, post-moderated chat, questions open, purged at the end. */
export function newEventForm(now = new Date()): EventFormValue {
  const next = new Date(now);
  next.setHours(next.getHours() + 1, 0, 0, 0);
  return {
    title: '',
    description: '',
    slug: '',
    startsAt: toLocalInput(next.toISOString()),
    password: '',
    removePassword: false,
    chatMode: 'post',
    questionsEnabled: true,
    retentionHours: 0,
    slowModeSeconds: 0,
    language: '',
  };
}

export function eventForm(event: EventDetails): EventFormValue {
  return {
    title: event.title,
    description: event.description,
    slug: event.slug,
    startsAt: toLocalInput(event.startsAt),
    password: '',
    removePassword: false,
    chatMode: event.chatMode,
    questionsEnabled: event.questionsEnabled,
    retentionHours: event.retentionHours,
    slowModeSeconds: event.slowModeSeconds,
    language: event.language ?? '',
  };
}

export function toCreateRequest(value: EventFormValue): CreateEventRequest {
  return {
    title: value.title.trim(),
    ...(value.description.trim() ? { description: value.description.trim() } : {}),
    ...(value.slug.trim() ? { slug: value.slug.trim() } : {}),
    startsAt: fromLocalInput(value.startsAt),
    ...(value.password ? { password: value.password } : {}),
    chatMode: value.chatMode,
    questionsEnabled: value.questionsEnabled,
    retentionHours: value.retentionHours,
    slowModeSeconds: value.slowModeSeconds,
    language: value.language || null,
  };
}

export function toUpdateRequest(value: EventFormValue): UpdateEventRequest {
  const password = value.removePassword ? null : value.password || undefined;
  return {
    title: value.title.trim(),
    description: value.description.trim(),
    startsAt: fromLocalInput(value.startsAt),
    ...(password !== undefined ? { password } : {}),
    chatMode: value.chatMode,
    questionsEnabled: value.questionsEnabled,
    retentionHours: value.retentionHours,
    slowModeSeconds: value.slowModeSeconds,
    language: value.language || null,
  };
}

/** An ISO instant as a `datetime-local` value in the browser's time zone. */
export function toLocalInput(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A `datetime-local` value (read in the browser's time zone) as an ISO instant. */
export function fromLocalInput(local: string): string {
  return new Date(local).toISOString();
}
