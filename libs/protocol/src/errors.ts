/** Error codes shared by REST responses (`error` field) and realtime acknowledgements. */
export const ERROR_CODES = [
  // any action
  'bad_request',
  'unknown_event',
  'unauthorized',
  'forbidden',
  'not_found',
  'rate_limited',
  /** A request body that is not JSON where only JSON is taken (a cross-site form post). */
  'unsupported_media_type',
  'internal',
  // events
  'slug_taken',
  'invalid_transition',
  'event_closed',
  'event_purged',
  // access
  'password_required',
  'wrong_password',
  'invite_revoked',
  'banned',
  /** Moderators locked joining: no new audience member may join (those already in keep their access). */
  'join_locked',
  // chat
  'muted',
  'slow_mode',
  'name_required',
  // questions
  'questions_closed',
  'already_voted',
  'invalid_order',
  'invalid_state',
  // hands
  'already_raised',
  // stage
  /** As many guests are on stage (or invited) as the server allows (`STAGE_MAX_GUESTS`). */
  'stage_full',
  // restream
  /** An event's restream destinations change only while it is not live (nor ended). */
  'restream_locked',
  /** The event has as many restream destinations as it may (`RESTREAM_LIMITS.destinationsPerEvent`). */
  'restream_full',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ActionError {
  code: ErrorCode;
  message: string;
  /** Set with `rate_limited` and `slow_mode`: when the action may be tried again. */
  retryAfterMs?: number;
}

/** Body of every REST error response. */
export interface HttpErrorBody {
  statusCode: number;
  error: ErrorCode;
  message: string;
  retryAfterMs?: number;
}
