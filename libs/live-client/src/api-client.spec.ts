import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiClient, ApiError } from './api-client';

describe('ApiClient', () => {
  // A real HTTP server on 127.0.0.1: it answers with `answer`, and keeps what it was sent.
  let server: Server;
  let baseUrl: string;
  let answer: (response: ServerResponse) => void;
  let received: { method?: string; url?: string; headers: IncomingMessage['headers']; body: string }[];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({ method: request.method, url: request.url, headers: request.headers, body });
        answer(response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => (received = []));

  const json = (status: number, body: unknown) => (response: ServerResponse) =>
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  it('sends JSON with the bearer token and returns the parsed reply', async () => {
    answer = json(200, { id: 'e1' });
    const api = new ApiClient({ baseUrl: `${baseUrl}/`, token: () => 'secret' });
    expect(await api.post('/api/events', { title: 'Budget' })).toEqual({ id: 'e1' });
    expect(received).toEqual([
      expect.objectContaining({
        method: 'POST',
        url: '/api/events',
        body: '{"title":"Budget"}',
        headers: expect.objectContaining({ authorization: 'Bearer secret', 'content-type': 'application/json' }),
      }),
    ]);
  });

  it('turns the API’s error body into an ApiError with its code, message and delay', async () => {
    answer = json(429, { statusCode: 429, error: 'rate_limited', message: 'Too many attempts', retryAfterMs: 1500 });
    const failure = await new ApiClient({ baseUrl }).post('/api/events/x/join', {}).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({
      status: 429,
      code: 'rate_limited',
      message: 'Too many attempts',
      retryAfterMs: 1500,
    });
  });

  it('describes answers that are not the API’s', async () => {
    answer = (response) => response.writeHead(502).end('Bad gateway');
    await expect(new ApiClient({ baseUrl }).get('/api/events')).rejects.toMatchObject({
      status: 502,
      code: 'internal',
      message: 'Bad gateway',
    });
    answer = (response) =>
      response.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Sign in to the Wi-Fi</h1>');
    await expect(new ApiClient({ baseUrl }).get('/api/events')).rejects.toMatchObject({
      status: 200,
      code: 'internal',
    });
    answer = (response) => response.writeHead(404).end();
    await expect(new ApiClient({ baseUrl }).get('/api/events')).rejects.toMatchObject({
      code: 'bad_request',
      message: 'The server answered 404',
    });
  });

  it('calls a server that does not answer `unreachable`, with status 0', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const failure = await new ApiClient({ baseUrl: `http://127.0.0.1:${port}` }).get('/api/events').catch((e) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 0, code: 'unreachable' });
  });

  it('reports a refused token, but not a failed sign-in without one', async () => {
    const onUnauthorized = jest.fn();
    answer = json(401, { statusCode: 401, error: 'unauthorized', message: 'Expired' });
    await new ApiClient({ baseUrl, token: () => null, onUnauthorized }).post('/api/auth/login', {}).catch(() => null);
    expect(onUnauthorized).not.toHaveBeenCalled();
    await new ApiClient({ baseUrl, token: () => 'old', onUnauthorized }).get('/api/events').catch(() => null);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    expect(onUnauthorized.mock.calls[0][0]).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('downloads a file with the name the server gives it', async () => {
    answer = (response) =>
      response.writeHead(200, { 'content-disposition': 'attachment; filename="budget-transcript.md"' }).end('# Budget');
    const file = await new ApiClient({ baseUrl }).download('/api/events/budget/transcript?format=markdown');
    expect(file.fileName).toBe('budget-transcript.md');
    expect(await file.blob.text()).toBe('# Budget');
  });
});
