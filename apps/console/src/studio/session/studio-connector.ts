import { DOCUMENT, inject, Injectable } from '@angular/core';
import { ApiClient } from '@pressroom/live-client';
import type { JoinResponse, PublicEvent } from '@pressroom/protocol';
import { StudioClient } from '@pressroom/studio-client';
import { EarlyStudioEvent } from '../event-language';

/** The network side of a visit: the event's public facts, the invite's access, the studio connection. */
@Injectable({ providedIn: 'root' })
export class StudioConnector {
  readonly #baseUrl = inject(DOCUMENT).location.origin;
  readonly #api = new ApiClient({ baseUrl: this.#baseUrl });
  readonly #early = inject(EarlyStudioEvent, { optional: true });

  /**
   * `GET /api/events/:slug`; a refusal is an `ApiError` (`not_found` for an unknown event). The first call
   * takes the answer `main.ts` read for the event's language, when it did.
   */
  event(slug: string): Promise<PublicEvent> {
    return this.#early?.take(slug) ?? this.#api.get<PublicEvent>(`/api/events/${encodeURIComponent(slug)}`);
  }

  /** Redeems the invite; a refusal is an `ApiError` (`invite_revoked`, `unauthorized`…). */
  access(slug: string, invite: string): Promise<JoinResponse> {
    return StudioClient.access({ baseUrl: this.#baseUrl, slug, invite });
  }

  connect(access: JoinResponse): Promise<StudioClient> {
    return StudioClient.connect({ baseUrl: this.#baseUrl, access });
  }
}
