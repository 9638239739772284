import type { Response } from 'express';

const PAGE_CACHE = 'no-cache';
/**
 * Pages may load nothing from another origin (the privacy promise, enforced by the browser). hls.js runs
 * its worker and feeds the video from `blob:` URLs. Only the viewer may be framed (embedded players).
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');
const NOT_FRAMED = "; frame-ancestors 'none'";
/** The headers of every page: revalidated on each load, nothing from other origins, no Referer. */
export function setPageHeaders(res: Response, mayBeFramed: boolean): void {
  res.setHeader('Cache-Control', PAGE_CACHE);
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY + (mayBeFramed ? '' : NOT_FRAMED));
  // Invite links carry their token in the address: it must not travel on in a Referer.
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Content-Type-Options', 'nosniff');
}
