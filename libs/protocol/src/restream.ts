/**
 * Restreaming: moderators give an event RTMP(S) destinations (YouTube, PeerTube, Facebook, any ingest);
 * while the event is live the server pushes the program to each. The limits, the URL rule, the masking of
 * stream keys and the retry delays both sides share.
 */
import { forbiddenCharacter } from './limits';

export const RESTREAM_LIMITS = {
  /** Destinations one event may have. */
  destinationsPerEvent: 5,
  name: 80,
  url: 500,
  streamKey: 500,
} as const;

/** How long a failed push waits before its next attempt: 2 s, 5 s, 10 s, then every 30 s. */
export const RESTREAM_RETRY_DELAYS_MS: readonly number[] = [2_000, 5_000, 10_000, 30_000];

/** Keys shorter than this show no character at all once saved. */
const KEY_HINT_MIN_LENGTH = 12;
const KEY_HINT_CHARACTERS = 4;

/** What a saved stream key shows: `••••` and its last 4 characters (none of a short key). */
export function maskStreamKey(key: string): string {
  return `••••${key.length >= KEY_HINT_MIN_LENGTH ? key.slice(-KEY_HINT_CHARACTERS) : ''}`;
}

/**
 * Why a destination URL is refused, or null when it is fine: `rtmp://` or `rtmps://`, a host, no user or
 * password, no query or fragment (the stream key goes in its own field), within the length limit. The
 * message never repeats the URL.
 */
export function restreamUrlProblem(url: string): string | null {
  if (url.length === 0) return 'url must not be empty';
  if (url.length > RESTREAM_LIMITS.url) return `url must be at most ${RESTREAM_LIMITS.url} characters`;
  if (/\s/u.test(url) || forbiddenCharacter(url) !== null) return 'url must not contain spaces or control characters';
  if (!/^rtmps?:\/\//.test(url)) return 'url must start with rtmp:// or rtmps://';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'url must be an address like rtmp://host/app or rtmps://host:443/app';
  }
  if (!parsed.hostname) return 'url must name a host';
  if (parsed.username || parsed.password) return 'url must not hold a user name or password';
  if (parsed.search || parsed.hash || url.includes('?') || url.includes('#'))
    return 'url must not hold a query or fragment: put the stream key in its own field';
  return null;
}

/** Why a stream key is refused, or null. The message never repeats the key. */
export function streamKeyProblem(key: string): string | null {
  if (key.length === 0) return 'streamKey must not be empty';
  if (key.length > RESTREAM_LIMITS.streamKey)
    return `streamKey must be at most ${RESTREAM_LIMITS.streamKey} characters`;
  if (/\s/u.test(key) || forbiddenCharacter(key) !== null)
    return 'streamKey must not contain spaces or control characters';
  return null;
}

/**
 * Where a push stands: `idle` (the event is not live), `connecting` (waiting for the program, or
 * FFmpeg connecting), `live` (the ingest takes the stream), `failed` (the attempt ended; `reason` says
 * why), `retrying` (the next attempt is at `retryAt`; `reason` says why the last one failed).
 */
export type RestreamState = 'idle' | 'connecting' | 'live' | 'failed' | 'retrying';

export interface RestreamStatus {
  state: RestreamState;
  /** Why the last attempt failed (`failed`, `retrying`); never the stream key. */
  reason: string | null;
  /** `retrying`: when the next attempt starts. */
  retryAt: string | null;
  /** When this state began. */
  since: string;
}

/** A destination as moderators see it: the stream key masked. */
export interface RestreamDestinationView {
  id: string;
  name: string;
  url: string;
  /** `••••` and the key's last 4 characters: the key is never sent back. */
  streamKeyHint: string;
  createdAt: string;
  status: RestreamStatus;
}

/** `POST /api/events/:slug/restream` */
export interface CreateRestreamDestinationRequest {
  name: string;
  url: string;
  streamKey: string;
}

/** `PATCH /api/events/:slug/restream/:id`: the fields to change (a new key replaces the old one). */
export type UpdateRestreamDestinationRequest = Partial<CreateRestreamDestinationRequest>;

export interface RestreamServerEvents {
  /** Moderators only: a destination's push changed state. */
  'restream:status': { destinationId: string; status: RestreamStatus };
  /** Moderators only: the event's destinations after a moderator added, changed or removed one. */
  'restream:destinations': { destinations: RestreamDestinationView[] };
}
