import { ApiClient } from '@pressroom/live-client';
import type { JoinRequest, JoinResponse } from '@pressroom/protocol';

/**
 * `POST /api/events/:slug/join` with a speaker invite: the access token the studio connection needs.
 * A refusal (a revoked invite, an ended event…) or no answer is an `ApiError`.
 */
export function requestAccess(baseUrl: string, slug: string, invite: string): Promise<JoinResponse> {
  const join: JoinRequest = { invite };
  return new ApiClient({ baseUrl }).post<JoinResponse>(`/api/events/${encodeURIComponent(slug)}/join`, join);
}
