import { LIVE_NAMESPACE, type ActionError, type LiveState } from '@pressroom/protocol';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import { LiveConnection } from './live-connection';
import { Recorder } from './testing/recorder';

/** A snapshot; `name` tells one from another. */
function snapshot(name: string): LiveState {
  return {
    me: { participantId: 'p1', role: 'journalist', name, outlet: 'El País', muted: false },
    event: {
      slug: 'budget',
      title: 'Budget briefing',
      description: '',
      startsAt: '2026-01-15T10:00:00.000Z',
      status: 'live',
      chatMode: 'post',
      questionsEnabled: true,
      passwordRequired: false,
      slowModeSeconds: 0,
      joinLocked: false,
      startedAt: '2026-01-15T10:00:00.000Z',
      endedAt: null,
      language: null,
    },
    chat: [],
    questions: [],
    votedQuestionIds: [],
    hand: null,
    hands: [],
    counters: null,
    restrictions: [],
    stage: null,
    myStage: null,
  };
}

/**
 * A real socket.io server standing in for the API's `/live`: it refuses the tokens in `refused` as the API
 * does (the reason in the error's `data`), and greets each connection with `welcome`.
 */
class StandIn {
  readonly refused = new Map<string, ActionError>();
  readonly sockets: Socket[] = [];
  welcome: (socket: Socket) => void = (socket) => socket.emit('state', snapshot('Ana'));
  readonly #http: HttpServer;
  readonly #io: Server;

  private constructor(http: HttpServer) {
    this.#http = http;
    this.#io = new Server(http);
    const live = this.#io.of(LIVE_NAMESPACE);
    live.use((socket, next) => {
      const refusal = this.refused.get((socket.handshake.auth as { token: string }).token);
      next(refusal && Object.assign(new Error(refusal.message), { data: refusal }));
    });
    live.on('connection', (socket) => {
      this.sockets.push(socket);
      this.welcome(socket);
    });
  }

  static async start(): Promise<StandIn> {
    const http = createServer();
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    return new StandIn(http);
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#http.address() as AddressInfo).port}`;
  }

  /** The connection open now. */
  get socket(): Socket {
    const socket = this.sockets.at(-1);
    if (!socket?.connected) throw new Error('no connection is open');
    return socket;
  }

  close(): Promise<void> {
    return new Promise((resolve) => void this.#io.close(() => resolve()));
  }
}

describe('LiveConnection', () => {
  let server: StandIn;
  let connection: LiveConnection;
  let recorder: Recorder;

  beforeEach(async () => {
    server = await StandIn.start();
    connection = new LiveConnection({ baseUrl: server.url, timeoutMs: 500 });
    recorder = new Recorder(connection, ['state', 'chat:removed', 'studio:activeSpeaker']);
  });
  afterEach(async () => {
    connection.close();
    await server.close();
  });

  it('connects, hands its listeners the snapshot and the events after it, and closes', async () => {
    const state = recorder.nextEvent('state');
    connection.connect('token');
    await state;
    server.socket.emit('chat:removed', { id: 'm1' });
    await recorder.nextEvent('chat:removed');
    connection.close();

    expect(recorder.heard).toEqual([
      ['status', 'connecting', null, null],
      ['status', 'connected', null, null],
      ['state', snapshot('Ana')],
      ['chat:removed', { id: 'm1' }],
      ['status', 'closed', null, null],
    ]);
    expect(connection.connected).toBe(false);
  });

  it('never hands on events that arrive before the snapshot (it covers them), but does studio signalling', async () => {
    server.welcome = (socket) => {
      socket.emit('chat:removed', { id: 'before' });
      socket.emit('studio:activeSpeaker', { peerId: 'p2' });
      socket.emit('state', snapshot('Ana'));
      socket.emit('chat:removed', { id: 'after' });
    };
    const after = recorder.nextEvent('chat:removed');
    connection.connect('token');
    await after;

    expect(recorder.heard.filter(([kind]) => kind !== 'status')).toEqual([
      ['studio:activeSpeaker', { peerId: 'p2' }],
      ['state', snapshot('Ana')],
      ['chat:removed', { id: 'after' }],
    ]);
  });

  it('stops handing events to a listener that stopped listening', async () => {
    const heardByLeaver: unknown[] = [];
    const stop = connection.on('chat:removed', (payload) => heardByLeaver.push(payload));
    const state = recorder.nextEvent('state');
    connection.connect('token');
    await state;
    server.socket.emit('chat:removed', { id: 'm1' });
    await recorder.nextEvent('chat:removed');
    stop();
    server.socket.emit('chat:removed', { id: 'm2' });
    await recorder.nextEvent('chat:removed');

    expect(heardByLeaver).toEqual([{ id: 'm1' }]);
  });

  it('resolves an action with the server’s acknowledgement, a refusal included', async () => {
    server.welcome = (socket) => {
      socket.on('question:vote', ({ questionId }: { questionId: string }, ack: (reply: unknown) => void) =>
        ack(
          questionId === 'q1'
            ? { ok: true, votes: 4 }
            : { ok: false, error: { code: 'already_voted', message: 'You already voted for this question' } },
        ),
      );
      socket.emit('state', snapshot('Ana'));
    };
    const connected = recorder.nextStatus('connected');
    connection.connect('token');
    await connected;

    expect(await connection.send('question:vote', { questionId: 'q1' })).toEqual({ ok: true, votes: 4 });
    expect(await connection.send('question:vote', { questionId: 'q2' })).toEqual({
      ok: false,
      error: { code: 'already_voted', message: 'You already voted for this question' },
    });
  });

  it('fails an action at once while not connected, and when the server does not answer', async () => {
    expect(await connection.send('hand:lower', {})).toEqual({
      ok: false,
      error: { code: 'disconnected', message: 'Not connected to the server right now: try again in a moment' },
    });

    const connected = recorder.nextStatus('connected');
    connection.connect('token');
    await connected;
    expect(await connection.send('hand:lower', {})).toEqual({
      ok: false,
      error: { code: 'timeout', message: 'The server did not answer: check your connection and try again' },
    });
  });

  it('fails an action whose connection drops before the answer, then comes back with a fresh snapshot', async () => {
    server.welcome = (socket) => {
      socket.on('hand:lower', () => socket.conn.close());
      socket.emit('state', snapshot(server.sockets.length === 1 ? 'Ana' : 'Ana again'));
    };
    const state = recorder.nextEvent('state');
    connection.connect('token');
    await state;

    const again = recorder.nextEvent('state');
    expect(await connection.send('hand:lower', {})).toEqual({
      ok: false,
      error: { code: 'disconnected', message: 'The connection dropped before the server answered: try again' },
    });
    expect(await again).toEqual(['state', snapshot('Ana again')]);
    expect(recorder.statuses).toEqual(['connecting', 'connected', 'reconnecting: The connection dropped', 'connected']);
  });

  it('closes for good when the server refuses the token, with its reason; connect() tries another token', async () => {
    const refusal: ActionError = { code: 'invite_revoked', message: 'This invite was withdrawn' };
    server.refused.set('revoked', refusal);
    const closed = recorder.nextStatus('closed');
    connection.connect('revoked');

    expect(await closed).toEqual(['status', 'closed', 'This invite was withdrawn', 'invite_revoked']);
    expect(server.sockets).toEqual([]);

    const state = recorder.nextEvent('state');
    connection.connect('valid');
    await state;
    expect(recorder.statuses).toEqual(['connecting', 'closed: This invite was withdrawn', 'connecting', 'connected']);
  });

  it('comes back after the server closed the connection, and learns why when the server now refuses', async () => {
    const state = recorder.nextEvent('state');
    connection.connect('token');
    await state;

    const closed = recorder.nextStatus('closed');
    server.refused.set('token', { code: 'banned', message: 'A moderator removed you from this event' });
    server.socket.disconnect(true);

    expect(await closed).toEqual(['status', 'closed', 'A moderator removed you from this event', 'banned']);
    expect(recorder.statuses).toEqual([
      'connecting',
      'connected',
      'reconnecting: The server closed the connection',
      'closed: A moderator removed you from this event',
    ]);
  });

  it('gives up on a server that keeps closing the connection without a snapshot, after three returns', async () => {
    server.welcome = (socket) => socket.disconnect(true);
    const closed = recorder.nextStatus('closed');
    connection.connect('token');

    expect(await closed).toEqual(['status', 'closed', 'The server closed the connection', null]);
    expect(server.sockets).toHaveLength(4);
    expect(recorder.heard.filter(([kind]) => kind === 'state')).toEqual([]);
  });
});
