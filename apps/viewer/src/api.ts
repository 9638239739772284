/** The two REST calls of the audience page, same origin. */
import type { ActionError, HttpErrorBody, JoinRequest, JoinResponse, PublicEvent } from '@pressroom/protocol';

/** A refused or failed request, with the API's error code and its message for people. */
export class ApiError extends Error {
  constructor(readonly error: ActionError) {
    super(error.message);
  }

  get code() {
    return this.error.code;
  }
}

export function fetchEvent(slug: string): Promise<PublicEvent> {
  return request<PublicEvent>('GET', `/api/events/${encodeURIComponent(slug)}`);
}

/** Also sets the cookie that lets this browser fetch the HLS of a password-protected event. */
export function joinEvent(slug: string, join: JoinRequest): Promise<JoinResponse> {
  return request<JoinResponse>('POST', `/api/events/${encodeURIComponent(slug)}/join`, join);
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError({ code: 'internal', message: 'The server cannot be reached: check your connection' });
  }
  const payload: unknown = await response.json().catch(() => null);
  if (response.ok) return payload as T;
  const failure = payload as Partial<HttpErrorBody> | null;
  throw new ApiError({
    code: failure?.error ?? 'internal',
    message: failure?.message ?? `The server answered ${response.status}`,
    retryAfterMs: failure?.retryAfterMs,
  });
}
