import { Api } from './harness/api';
import { LiveClient } from './harness/live-client';
import { startServer, type TestServer } from './harness/server';

describe('smoke', () => {
  let server: TestServer;
  beforeAll(async () => (server = await startServer()));
  afterAll(() => server.close());

  it('a journalist connects and gets a state', async () => {
    const moderator = await Api.asModerator(server.url);
    const event = await moderator.createEvent();
    const join = await new Api(server.url).join(event.slug, { name: 'Ana', outlet: 'El País' });
    expect(join.role).toBe('journalist');
    const client = await LiveClient.connect(server.url, join.accessToken);
    expect(client.state.me.name).toBe('Ana');
    const reply = await client.send('question:ask', { text: 'When?' });
    expect(reply.ok).toBe(true);
    client.close();
  });
});
