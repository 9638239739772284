import type { ErrorCode, HttpErrorBody } from '@pressroom/protocol';

/** The server's error code, or `unreachable` when no answer came at all (offline, DNS, a dropped connection). */
export type ApiErrorCode = ErrorCode | 'unreachable';

/** Why a REST call failed, with a message that can be shown as it is. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    /** The HTTP status; 0 when the request never got an answer. */
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    /** Set with `rate_limited`: when the call may be tried again. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export interface ApiClientOptions {
  /** Where the API is; the page's own origin when left out. */
  baseUrl?: string;
  /** The bearer token to send, read on every request (null: send none). */
  token?: () => string | null;
  /** Told when a request that carried a token gets 401 (the session expired or was revoked). */
  onUnauthorized?: (error: ApiError) => void;
}

/** A downloaded file and the name the server suggests for it (`Content-Disposition`), if any. */
export interface DownloadedFile {
  blob: Blob;
  fileName: string | null;
}

/**
 * The Pressroom REST API (`/api/…`) over `fetch`, for every front end (console, studio, event page):
 * JSON in and out, the bearer token added when there is one, cookies of the page's own origin, and
 * every failure turned into an `ApiError`.
 *
 * ```ts
 * const api = new ApiClient({ token: () => session.token() });
 * const events = await api.get<EventDetails[]>('/api/events');
 * ```
 */
export class ApiClient {
  readonly #baseUrl: string;
  readonly #token: () => string | null;
  readonly #onUnauthorized: (error: ApiError) => void;

  constructor(options: ApiClientOptions = {}) {
    this.#baseUrl = (options.baseUrl ?? '').replace(/\/$/, '');
    this.#token = options.token ?? (() => null);
    this.#onUnauthorized = options.onUnauthorized ?? (() => undefined);
  }

  get<T>(path: string): Promise<T> {
    return this.#json<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.#json<T>('POST', path, body);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.#json<T>('PATCH', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.#json<T>('DELETE', path);
  }

  /** A file to save (a transcript, …): fetched with the token, which a plain link could not send. */
  async download(path: string): Promise<DownloadedFile> {
    const response = await this.#fetch('GET', path);
    const disposition = response.headers.get('content-disposition') ?? '';
    const fileName = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? null;
    return { blob: await response.blob(), fileName };
  }

  async #json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.#fetch(method, path, body);
    const text = await response.text();
    try {
      return (text ? JSON.parse(text) : undefined) as T;
    } catch {
      // a page from something in between (a captive portal, a misrouted proxy), not the API
      throw new ApiError(response.status, 'internal', 'The server sent an answer this page cannot read.');
    }
  }

  async #fetch(method: string, path: string, body?: unknown): Promise<Response> {
    const token = this.#token();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers['authorization'] = `Bearer ${token}`;
    let response: Response;
    try {
      response = await fetch(this.#baseUrl + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'unreachable', 'The server could not be reached. Check the connection and try again.');
    }
    if (response.ok) return response;
    const error = await toApiError(response);
    if (response.status === 401 && token) this.#onUnauthorized(error);
    throw error;
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as Partial<HttpErrorBody>;
    if (typeof body.error === 'string' && typeof body.message === 'string') {
      return new ApiError(response.status, body.error, body.message, body.retryAfterMs);
    }
  } catch {
    // not the API's JSON error body: a proxy's page, or plain text
  }
  const code: ErrorCode = response.status >= 500 ? 'internal' : 'bad_request';
  return new ApiError(response.status, code, text.trim().slice(0, 200) || `The server answered ${response.status}`);
}
