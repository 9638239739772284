import {
  chooseUiLanguage,
  isUiLanguage,
  parseAcceptLanguage,
  uiLanguageOfCookies,
  UI_LANGUAGES,
  type UiLanguage,
} from '@pressroom/protocol';
import { AppError } from '../common/app-error';
import type { Request, Response } from 'express';

/**
 * The language a page or text for this request is in: the visitor's own pick from a language menu (the
 * `pressroom_language` cookie), else the event's language, else the browser's (Accept-Language), else
 * English. The answer varies with both headers, and says so to caches.
 */
export function requestLanguage(req: Request, res: Response, event: string | null | undefined): UiLanguage {
  res.vary('Accept-Language');
  res.vary('Cookie');
  return chooseUiLanguage({
    chosen: uiLanguageOfCookies(req.get('cookie')),
    event,
    preferred: parseAcceptLanguage(req.get('accept-language')),
  });
}

/** `?language=`: absent, or one of the pages' languages (anything else is refused, not ignored). */
export function languageQuery(value: unknown): UiLanguage | undefined {
  if (value === undefined) return undefined;
  if (isUiLanguage(value)) return value;
  throw new AppError('bad_request', `language must be one of ${UI_LANGUAGES.join(', ')}`);
}
