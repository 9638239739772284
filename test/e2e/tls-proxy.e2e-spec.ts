import { connect, type ClientHttp2Session, type IncomingHttpHeaders } from 'node:http2';
import { request as httpRequest } from 'node:http';
import type { EventDetails } from '@pressroom/protocol';
import { Api } from './harness/api';
import { LiveClient } from './harness/live-client';
import { parsePlaylist, waitFor } from './harness/media';
import { startDeployedNginx, type TlsNginx } from './harness/nginx';
import { freePort, startServer, type TestServer } from './harness/server';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A browser's view of the proxy: HTTP/2 over TLS, trusting the test's self-signed certificate. */
class Http2Client {
  private constructor(private readonly session: ClientHttp2Session) {}

  static async open(nginx: TlsNginx): Promise<Http2Client> {
    const session = connect(nginx.url, { ca: nginx.certificate });
    await new Promise<void>((resolve, reject) => {
      session.once('connect', () => resolve());
      session.once('error', reject);
    });
    return new Http2Client(session);
  }

  get protocol(): string | undefined {
    return this.session.alpnProtocol;
  }

  send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const stream = this.session.request({
        ':method': method,
        ':path': path,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      });
      let answered: IncomingHttpHeaders = {};
      const chunks: Buffer[] = [];
      stream.once('response', (h) => (answered = h));
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.once('end', () =>
        resolve({ status: Number(answered[':status']), headers: answered, body: Buffer.concat(chunks) }),
      );
      stream.once('error', reject);
      stream.end(body === undefined ? undefined : JSON.stringify(body));
    });
  }

  close(): void {
    this.session.close();
  }
}

jest.setTimeout(90_000);

describe('behind nginx with deploy/nginx/pressroom.conf: TLS, HTTP/2, WebSocket, HLS cache', () => {
  let server: TestServer;
  let nginx: TlsNginx;
  let client: Http2Client;
  let event: EventDetails;

  beforeAll(async () => {
    // nginx must know the server's port, and the server its public https address, before either starts.
    const port = await freePort();
    server = await startServer({
      TRUST_PROXY: 'loopback',
      PUBLIC_URL: `https://127.0.0.1:${port}`,
      LIVE_CONNECTIONS_PER_ADDRESS: '2',
    });
    nginx = await startDeployedNginx(server.url, port);
    client = await Http2Client.open(nginx);
    event = await (await Api.asModerator(server.url)).createEvent();
  }, 30_000);
  afterAll(async () => {
    client?.close();
    await nginx?.stop();
    await server?.close();
  });

  it('plain HTTP is redirected to https', async () => {
    const answer = await new Promise<{ status?: number; location?: string }>((resolve, reject) =>
      httpRequest(`${nginx.httpUrl}/${event.slug}`, (response) => {
        response.resume();
        resolve({ status: response.statusCode, location: response.headers.location });
      })
        .once('error', reject)
        .end(),
    );
    expect(answer.status).toBe(301);
    expect(answer.location).toBe(`https://127.0.0.1/${event.slug}`);
  });

  it('serves the API over TLS and HTTP/2, with HSTS from PUBLIC_URL', async () => {
    expect(client.protocol).toBe('h2');
    const answer = await client.send('GET', `/api/events/${event.slug}`);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body.toString())).toMatchObject({ slug: event.slug });
    expect(answer.headers['strict-transport-security']).toBe('max-age=31536000');
  });

  it("does not pass the API nodes' internal calls on (/api/cluster/)", async () => {
    const answer = await client.send('POST', '/api/cluster/studio', { action: 'studio:join' });
    expect(answer.status).toBe(404);
    // The same call straight to the server reaches it (and is refused there for want of the nodes' key).
    const direct = await fetch(`${server.url}/api/cluster/studio`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'studio:join' }),
    });
    expect(direct.status).not.toBe(404);
  });

  it("a password-protected event's stream pass comes through as a Secure cookie, and its stream is not cached", async () => {
    const moderator = await Api.asModerator(server.url);
    const locked = await moderator.createEvent({ title: 'Closed briefing', password: 'press-only' });
    const joined = await client.send('POST', `/api/events/${locked.slug}/join`, { password: 'press-only' });
    expect(joined.status).toBe(200);
    const cookies = ([] as string[]).concat(joined.headers['set-cookie'] ?? []);
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatch(/; Secure/);
    expect(cookies[0]).toMatch(/; HttpOnly/);

    const cookie = cookies[0]!.split(';')[0]!;
    const playlist = `/hls/${locked.slug}/index.m3u8`;
    await waitFor(
      async () => ((await client.send('GET', playlist, undefined, { cookie })).status === 200 ? true : undefined),
      60_000,
      300,
    );
    const again = await client.send('GET', playlist, undefined, { cookie });
    expect(again.headers['cache-control']).toMatch(/^private/);
    expect(again.headers['x-cache-status']).toBe('MISS');
    // Without the pass, nothing: not even from the proxy's cache.
    expect((await client.send('GET', playlist)).status).toBe(401);
  });

  it('socket.io connects through the proxy as a WebSocket over TLS and gets the live state', async () => {
    const { accessToken } = await new Api(server.url).join(event.slug);
    const live = await LiveClient.connect(nginx.url, accessToken, { ca: nginx.certificate });
    expect(live.state).toBeDefined();
    live.close();
  });

  it('the WebSocket carries the client address too: the live connection cap is per client, not per proxy', async () => {
    const { accessToken } = await new Api(server.url).join(event.slug);
    const from = (localAddress: string) =>
      LiveClient.connect(nginx.url, accessToken, { ca: nginx.certificate, localAddress });
    const open = await Promise.all(['127.0.0.30', '127.0.0.31', '127.0.0.32'].map(from));
    open.push(await from('127.0.0.30'));
    await expect(from('127.0.0.30')).rejects.toThrow(/Too many live connections from your network address \(2\)/);
    for (const client of open) client.close();
  });

  it('keeps a segment in its cache (one origin request for every viewer) and a live playlist for 1 s at most', async () => {
    const playlistPath = `/hls/${event.slug}/index.m3u8`;
    // The starting-soon slate is a broadcast too: wait for its first segments.
    const playlist = await waitFor(
      async () => {
        const answer = await client.send('GET', playlistPath);
        if (answer.status !== 200) return undefined;
        const parsed = parsePlaylist(answer.body.toString());
        return parsed.segments.length > 0 ? parsed : undefined;
      },
      60_000,
      300,
    );
    const segment = `/hls/${event.slug}/${playlist.segments[0]!.uri}`;

    const first = await client.send('GET', segment);
    expect(first.status).toBe(200);
    expect(['MISS', 'HIT']).toContain(first.headers['x-cache-status']);
    const second = await client.send('GET', segment);
    expect(second.status).toBe(200);
    expect(second.headers['x-cache-status']).toBe('HIT');
    expect(second.body.equals(first.body)).toBe(true);
    // Many viewers at once: all get the same bytes, from the cache.
    const many = await Promise.all(Array.from({ length: 20 }, () => client.send('GET', segment)));
    expect(many.map((answer) => answer.headers['x-cache-status'])).toEqual(Array(20).fill('HIT'));

    // The playlist: fetched twice in a row, the second may come from the cache; 2.1 s later it may not
    // (s-maxage=1, and nginx counts whole seconds: a playlist stays cached 1 to 2 s; browsers keep it not
    // at all: max-age=0).
    await client.send('GET', playlistPath);
    const again = await client.send('GET', playlistPath);
    expect(['HIT', 'MISS', 'EXPIRED', 'UPDATING']).toContain(again.headers['x-cache-status']);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const later = await client.send('GET', playlistPath);
    expect(later.status).toBe(200);
    expect(['EXPIRED', 'MISS']).toContain(later.headers['x-cache-status']);
    expect(later.headers['cache-control']).toBe('public, max-age=0, s-maxage=1');

    // Pressroom compresses playlists for clients that accept it: the cache keeps the two apart.
    const gzipped = await client.send('GET', playlistPath, undefined, { 'accept-encoding': 'gzip' });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    const plain = await client.send('GET', playlistPath);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toMatch(/^#EXTM3U/);
  }, 90_000);
});
