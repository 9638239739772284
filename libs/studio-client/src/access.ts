import type { ErrorCode, HttpErrorBody, JoinRequest, JoinResponse } from '@pressroom/protocol';

/** Why the studio could not be entered or stayed in: the server's error code, or `unreachable` when it did not answer. */
export type StudioAccessCode = ErrorCode | 'unreachable';

/** The server refused this speaker (a revoked invite, an ended event…), or could not be reached. */
export class StudioAccessError extends Error {
  override readonly name = 'StudioAccessError';

  constructor(
    readonly code: StudioAccessCode,
    message: string,
  ) {
    super(message);
  }
}

/** `POST /api/events/:slug/join` with a speaker invite: the access token the studio connection needs. */
export async function requestAccess(baseUrl: string, slug: string, invite: string): Promise<JoinResponse> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}/api/events/${encodeURIComponent(slug)}/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ invite } satisfies JoinRequest),
    });
  } catch (error) {
    throw new StudioAccessError('unreachable', `Could not reach the server: ${(error as Error).message}`);
  }
  const body = (await response.json().catch(() => ({}))) as JoinResponse | Partial<HttpErrorBody>;
  if (response.ok && 'accessToken' in body) return body;
  const refusal = body as Partial<HttpErrorBody>;
  throw new StudioAccessError(
    refusal.error ?? 'unreachable',
    `Could not join "${slug}": ${refusal.message ?? response.statusText} (${refusal.error ?? response.status})`,
  );
}
