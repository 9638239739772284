import type { Response } from 'express';
import type { IncomingMessage } from 'node:http';
import { parse } from 'cookie';
import type { SignedToken } from '../auth/tokens.service';

/** The stream pass travels as an HttpOnly cookie scoped to the event's HLS path, which hls.js sends by itself. */
const cookieName = (slug: string) => `pressroom_hls_${slug}`;

/** `secure` when PUBLIC_URL is https: the browser then never sends the pass over plain HTTP. */
export function setHlsPass(response: Response, slug: string, pass: SignedToken, secure = false): void {
  response.cookie(cookieName(slug), pass.token, {
    httpOnly: true,
    secure,
    sameSite: 'strict',
    path: `/hls/${slug}/`,
    expires: pass.expiresAt ?? undefined,
  });
}

export function hlsPassOf(request: Pick<IncomingMessage, 'headers'>, slug: string): string | undefined {
  const cookies = request.headers.cookie;
  return cookies ? parse(cookies)[cookieName(slug)] : undefined;
}
