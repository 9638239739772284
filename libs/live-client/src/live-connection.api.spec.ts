import type { EventDetails, JoinResponse } from '@pressroom/protocol';
import { Api } from '../../../test/e2e/harness/api';
import { startServer, type TestServer } from '../../../test/e2e/harness/server';
import { LiveConnection } from './live-connection';
import { Recorder } from './testing/recorder';

describe('LiveConnection against the real API', () => {
  let server: TestServer;
  let event: EventDetails;
  let moderatorApi: Api;
  const connections: LiveConnection[] = [];

  /** A connection with the access token of a join, what it hears, and its first snapshot. */
  function connectAs(joined: JoinResponse) {
    const connection = new LiveConnection({ baseUrl: server.url });
    connections.push(connection);
    const recorder = new Recorder(connection, ['state', 'question:pending', 'user:banned']);
    const state = recorder.nextEvent('state');
    connection.connect(joined.accessToken);
    return { connection, recorder, state };
  }

  beforeAll(async () => {
    server = await startServer();
    moderatorApi = await Api.asModerator(server.url);
    event = await moderatorApi.createEvent();
  });
  afterAll(async () => {
    for (const connection of connections) connection.close();
    await server.close();
  });

  it('a journalist gets their snapshot and asks; banned, the connection closes with the server’s reason', async () => {
    const moderator = connectAs(await moderatorApi.join(event.slug));
    const journalistJoin = await new Api(server.url).join(event.slug, { name: 'Ana García', outlet: 'El País' });
    const journalist = connectAs(journalistJoin);
    expect((await journalist.state)[1]).toMatchObject({
      me: { role: 'journalist', name: 'Ana García', outlet: 'El País' },
    });
    await moderator.state;

    const pending = moderator.recorder.nextEvent('question:pending');
    expect(await journalist.connection.send('question:ask', { text: 'When does the rail line open?' })).toMatchObject({
      ok: true,
      question: { text: 'When does the rail line open?', status: 'pending' },
    });
    expect((await pending)[1]).toMatchObject({ name: 'Ana García', text: 'When does the rail line open?' });

    const closed = journalist.recorder.nextStatus('closed');
    const participantId = journalistJoin.participantId;
    expect(await moderator.connection.send('user:ban', { participantId })).toEqual({ ok: true });
    expect(await closed).toEqual(['status', 'closed', 'A moderator removed you from this event', 'banned']);
    expect(journalist.recorder.heard.slice(-3)).toEqual([
      ['user:banned', { reason: 'A moderator removed you from this event' }],
      ['status', 'reconnecting', 'The server closed the connection', null],
      ['status', 'closed', 'A moderator removed you from this event', 'banned'],
    ]);
    expect(await journalist.connection.send('question:ask', { text: 'Still there?' })).toMatchObject({
      ok: false,
      error: { code: 'disconnected' },
    });
  });

  it('a token the server does not know is refused with the server’s code and reason', async () => {
    const connection = new LiveConnection({ baseUrl: server.url });
    connections.push(connection);
    const recorder = new Recorder(connection, []);
    const closed = recorder.nextStatus('closed');
    connection.connect('forged');
    const [, , reason, code] = await closed;
    expect(code).toBe('unauthorized');
    expect(recorder.statuses).toEqual(['connecting', `closed: ${reason}`]);
    expect(connection.connected).toBe(false);
  });
});
