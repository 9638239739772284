/** The two REST calls of the audience page, same origin. Failures are `ApiError`s with a message for people. */
import { ApiClient } from '@pressroom/live-client';
import type { JoinRequest, JoinResponse, PublicEvent } from '@pressroom/protocol';

const api = new ApiClient();

export function fetchEvent(slug: string): Promise<PublicEvent> {
  return api.get<PublicEvent>(`/api/events/${encodeURIComponent(slug)}`);
}

/** Also sets the cookie that lets this browser fetch the HLS of a password-protected event. */
export function joinEvent(slug: string, join: JoinRequest): Promise<JoinResponse> {
  return api.post<JoinResponse>(`/api/events/${encodeURIComponent(slug)}/join`, join);
}
