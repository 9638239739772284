import type {
  CreateEventRequest,
  EventDetails,
  JoinRequest,
  JoinResponse,
  SpeakerInviteView,
} from '@pressroom/protocol';
import { ADMIN } from './server';

export interface HttpResult<T = unknown> {
  status: number;
  body: T;
}

/** A REST client for one server, optionally signed in. */
export class Api {
  constructor(
    readonly baseUrl: string,
    private token?: string,
  ) {}

  static async asModerator(baseUrl: string): Promise<Api> {
    const api = new Api(baseUrl);
    const { status, body } = await api.request<{ accessToken: string }>('POST', '/api/auth/login', ADMIN);
    if (status !== 200) throw new Error(`login failed: ${status} ${JSON.stringify(body)}`);
    return new Api(baseUrl, body.accessToken);
  }

  get bearer(): string | undefined {
    return this.token;
  }

  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpResult<T>> {
    const response = await fetch(this.baseUrl + path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as T };
  }

  async expectOk<T>(method: string, path: string, body?: unknown): Promise<T> {
    const { status, body: reply } = await this.request<T>(method, path, body);
    if (status >= 300) throw new Error(`${method} ${path} → ${status} ${JSON.stringify(reply)}`);
    return reply;
  }

  createEvent(fields: Partial<CreateEventRequest> = {}): Promise<EventDetails> {
    return this.expectOk('POST', '/api/events', {
      title: 'Budget press conference',
      startsAt: new Date(Date.now() + 3_600_000).toISOString(),
      ...fields,
    });
  }

  inviteSpeaker(slug: string, name: string): Promise<SpeakerInviteView> {
    return this.expectOk('POST', `/api/events/${slug}/speakers`, { name });
  }

  /** As the caller: a moderator's Api joins as moderator, an anonymous one as audience or speaker. */
  join(slug: string, request: JoinRequest = {}): Promise<JoinResponse> {
    return this.expectOk('POST', `/api/events/${slug}/join`, request);
  }
}
