/** Input limits enforced by the API and shown by the front ends. */
export const LIMITS = {
  chatText: 500,
  questionText: 500,
  handTopic: 200,
  displayName: 80,
  outlet: 120,
  eventTitle: 200,
  eventDescription: 5000,
  password: 200,
  /** Messages kept in the chat part of a `state` snapshot. */
  chatHistory: 200,
} as const;

/** First path segments the server keeps for itself: `/<slug>` is an event's page, so no event may take these. */
export const RESERVED_SLUGS: readonly string[] = [
  'api',
  'hls',
  'health',
  'metrics',
  'live',
  'assets',
  'console',
  'studio',
];
