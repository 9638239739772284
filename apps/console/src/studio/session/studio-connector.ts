import { DOCUMENT, inject, Injectable } from '@angular/core';
import type { HttpErrorBody, JoinResponse, PublicEvent } from '@pressroom/protocol';
import { StudioAccessError, StudioClient } from '@pressroom/studio-client';

/** The network side of a visit: the event's public facts, the invite's access, the studio connection. */
@Injectable({ providedIn: 'root' })
export class StudioConnector {
  readonly #baseUrl = inject(DOCUMENT).location.origin;

  /** `GET /api/events/:slug`; a refusal is a `StudioAccessError` (`not_found` for an unknown event). */
  async event(slug: string): Promise<PublicEvent> {
    let response: Response;
    try {
      response = await fetch(`${this.#baseUrl}/api/events/${encodeURIComponent(slug)}`);
    } catch (error) {
      throw new StudioAccessError('unreachable', `Could not reach the server: ${(error as Error).message}`);
    }
    const body = (await response.json().catch(() => ({}))) as PublicEvent | Partial<HttpErrorBody>;
    if (response.ok) return body as PublicEvent;
    const refusal = body as Partial<HttpErrorBody>;
    throw new StudioAccessError(refusal.error ?? 'unreachable', refusal.message ?? response.statusText);
  }

  access(slug: string, invite: string): Promise<JoinResponse> {
    return StudioClient.access({ baseUrl: this.#baseUrl, slug, invite });
  }

  connect(access: JoinResponse): Promise<StudioClient> {
    return StudioClient.connect({ baseUrl: this.#baseUrl, access });
  }
}
