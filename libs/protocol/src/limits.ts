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

/**
 * Characters no text a person types may carry: C0 controls (NUL, escape, …), DEL, C1 controls, and the
 * bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), which reorder what
 * moderators and the audience read ("Trojan Source" spoofing). Left-to-right and right-to-left marks
 * (U+200E, U+200F) stay: right-to-left writing needs them. Multi-line texts (chat, questions, an event's
 * description) may also hold line breaks and tabs. Such text is refused, never silently changed.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;
// eslint-disable-next-line no-control-regex -- the same, less tab, line feed and carriage return
const CONTROL_CHARACTER_MULTILINE = /[\u0000-\u0008\u000b-\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

/** The first character `text` may not carry, as `U+XXXX`, or null when it is clean. */
export function forbiddenCharacter(text: string, multiline = false): string | null {
  const found = (multiline ? CONTROL_CHARACTER_MULTILINE : CONTROL_CHARACTER).exec(text);
  return found ? `U+${found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : null;
}

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
