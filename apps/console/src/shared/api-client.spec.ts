import { ApiClient, ApiError } from './api-client';

describe('ApiClient', () => {
  const fetchMock = vi.fn<typeof fetch>();

  beforeEach(() => {
    fetchMock.mockReset();
    vi.stubGlobal('fetch', fetchMock);
  });
  afterEach(() => vi.unstubAllGlobals());

  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

  it('sends JSON with the bearer token and returns the parsed reply', async () => {
    fetchMock.mockResolvedValue(json(200, { id: 'e1' }));
    const api = new ApiClient({ baseUrl: 'http://api.test/', token: () => 'secret' });
    expect(await api.post('/api/events', { title: 'Budget' })).toEqual({ id: 'e1' });
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('http://api.test/api/events');
    expect(init).toMatchObject({ method: 'POST', body: '{"title":"Budget"}' });
    expect(init!.headers).toMatchObject({ authorization: 'Bearer secret', 'content-type': 'application/json' });
  });

  it('turns the API’s error body into an ApiError with its code and message', async () => {
    fetchMock.mockResolvedValue(json(409, { statusCode: 409, error: 'slug_taken', message: 'The slug "x" is taken' }));
    const failure = await new ApiClient().post('/api/events', {}).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 409, code: 'slug_taken', message: 'The slug "x" is taken' });
  });

  it('describes answers that are not the API’s, and no answer at all', async () => {
    fetchMock.mockResolvedValueOnce(new Response('Bad gateway', { status: 502 }));
    await expect(new ApiClient().get('/api/events')).rejects.toMatchObject({
      code: 'internal',
      message: 'Bad gateway',
    });
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    await expect(new ApiClient().get('/api/events')).rejects.toMatchObject({ status: 0, code: 'network' });
  });

  it('reports a refused token, but not a failed sign-in without one', async () => {
    const onUnauthorized = vi.fn();
    fetchMock.mockImplementation(async () => json(401, { statusCode: 401, error: 'unauthorized', message: 'Expired' }));
    await new ApiClient({ token: () => null, onUnauthorized }).post('/api/auth/login', {}).catch(() => undefined);
    expect(onUnauthorized).not.toHaveBeenCalled();
    await new ApiClient({ token: () => 'old', onUnauthorized }).get('/api/events').catch(() => undefined);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('downloads a file with the name the server gives it', async () => {
    fetchMock.mockResolvedValue(
      new Response('# Budget', {
        status: 200,
        headers: { 'content-disposition': 'attachment; filename="budget-transcript.md"' },
      }),
    );
    const file = await new ApiClient().download('/api/events/budget/transcript?format=markdown');
    expect(file.fileName).toBe('budget-transcript.md');
    expect(await file.blob.text()).toBe('# Budget');
  });
});
