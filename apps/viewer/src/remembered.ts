/**
 * What this browser remembers, and nothing leaves it: the name and outlet typed once (to fill the form at
 * the next event), per event the access it joined with (so a reload keeps its votes and raised hand), and
 * the broadcast quality last picked, the captions' settings and the language listened in.
 * Storage may be off (private mode, a policy): the page then simply forgets.
 */
import type { JoinResponse } from '@pressroom/protocol';

export interface Identity {
  name: string;
  /** Empty for a viewer who only gives a display name. */
  outlet: string;
}

const IDENTITY_KEY = 'pressroom.identity';
const accessKey = (slug: string) => `pressroom.access.${slug}`;

export function rememberedIdentity(): Identity | null {
  const stored = read<Partial<Identity>>(IDENTITY_KEY);
  return typeof stored?.name === 'string' && stored.name
    ? { name: stored.name, outlet: typeof stored.outlet === 'string' ? stored.outlet : '' }
    : null;
}

export function rememberIdentity(identity: Identity | null): void {
  write(IDENTITY_KEY, identity);
}

/** An access and who joined with it (null: anonymously); `undefined` when kept by an older page. */
export interface RememberedAccess extends JoinResponse {
  identity?: Identity | null;
}

/** The access this browser joined `slug` with, while it is valid. */
export function rememberedAccess(slug: string): RememberedAccess | null {
  const stored = read<RememberedAccess>(accessKey(slug));
  if (typeof stored?.accessToken !== 'string' || !(Date.parse(stored.expiresAt) > Date.now())) return null;
  return stored;
}

export function rememberAccess(slug: string, access: RememberedAccess | null): void {
  write(accessKey(slug), access);
}

const QUALITY_KEY = 'pressroom.quality';

/** The broadcast quality picked in the quality menu (quality.ts), for every event. */
export function rememberedQuality(): string | null {
  const stored = read<unknown>(QUALITY_KEY);
  return typeof stored === 'string' ? stored : null;
}

export function rememberQuality(quality: string | null): void {
  write(QUALITY_KEY, quality);
}

const CAPTIONS_KEY = 'pressroom.captions';
export type CaptionSize = 'small' | 'medium' | 'large';
export interface CaptionsChoice {
  on: boolean;
  size: CaptionSize;
  /** The caption language picked (BCP 47); null: the browser's. */
  language: string | null;
}

/** Captions on or off, their size and language (captions.ts), for every event. */
export function rememberedCaptions(): CaptionsChoice {
  const stored = read<Partial<CaptionsChoice>>(CAPTIONS_KEY);
  return {
    on: stored?.on === true,
    size: stored?.size === 'small' || stored?.size === 'large' ? stored.size : 'medium',
    language: typeof stored?.language === 'string' ? stored.language : null,
  };
}

export function rememberCaptions(choice: CaptionsChoice): void {
  write(CAPTIONS_KEY, choice);
}

const LISTEN_KEY = 'pressroom.listen';

/** The interpretation language picked to listen in (interpretation.ts), for every event; null: the floor. */
export function rememberedListen(): string | null {
  const stored = read<unknown>(LISTEN_KEY);
  return typeof stored === 'string' && stored ? stored : null;
}

export function rememberListen(language: string | null): void {
  write(LISTEN_KEY, language);
}

function read<T>(key: string): T | null {
  try {
    return JSON.parse(localStorage.getItem(key) ?? 'null') as T | null;
  } catch {
    return null;
  }
}

function write(key: string, value: unknown): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // storage is off: nothing is remembered
  }
}
