import { LiveClient } from './harness/live-client';
import { openPressConference, staysSilent, type PressConference } from './harness/press-conference';
import { startServer, type TestServer } from './harness/server';

describe('chat: pre- and post-moderation, rate limits, mute and ban', () => {
  let server: TestServer;
  let room: PressConference;

  beforeAll(async () => (server = await startServer({ CHAT_RATE_LIMIT: '3', CHAT_RATE_WINDOW_SECONDS: '60' })));
  afterAll(() => server.close());
  afterEach(() => room.close());

  it('post-moderated chat is visible at once, and a hidden message is removed for everyone', async () => {
    room = await openPressConference(server, { chatMode: 'post' });
    const seen = room.viewer.next('chat:message', (m) => m.text === 'Good morning');
    const reply = await room.journalist.send('chat:send', { text: '  Good morning  ' });
    expect(reply).toMatchObject({
      ok: true,
      message: { status: 'visible', text: 'Good morning', authorName: 'Ana García' },
    });
    const message = await seen;

    const removed = room.viewer.next('chat:removed', (r) => r.id === message.id);
    expect(await room.moderator.send('chat:hide', { messageId: message.id })).toEqual({ ok: true });
    await removed;
    const again = await LiveClient.connect(server.url, room.tokens.viewer);
    expect(again.state.chat.map((m) => m.id)).not.toContain(message.id);
    again.close();
  });

  it('pre-moderated chat is held until a moderator approves it', async () => {
    room = await openPressConference(server, { chatMode: 'pre' });
    const toModerator = room.moderator.next('chat:message', (m) => m.text === 'Held message');
    const reply = await room.journalist.send('chat:send', { text: 'Held message' });
    expect(reply).toMatchObject({ ok: true, message: { status: 'pending' } });
    expect((await toModerator).status).toBe('pending');
    expect(await staysSilent(room.viewer, 'chat:message', () => true)).toBe(true);
    expect(room.speaker.all('chat:message')).toHaveLength(0);

    const toViewer = room.viewer.next('chat:message', (m) => m.text === 'Held message');
    expect(await room.moderator.send('chat:approve', { messageId: (await toModerator).id })).toEqual({ ok: true });
    expect((await toViewer).status).toBe('visible');

    const staff = room.viewer.next('chat:message', (m) => m.text === 'Speakers skip the queue');
    await room.speaker.send('chat:send', { text: 'Speakers skip the queue' });
    await staff;
  });

  it('a held message a moderator hides is withdrawn from its author, and nobody else hears of it', async () => {
    room = await openPressConference(server, { chatMode: 'pre' });
    const reply = await room.journalist.send('chat:send', { text: 'Never shown' });
    if (!reply.ok) throw new Error(reply.error.message);
    const toAuthor = room.journalist.next('chat:removed', ({ id }) => id === reply.message.id);
    expect(await room.moderator.send('chat:hide', { messageId: reply.message.id })).toEqual({ ok: true });
    await toAuthor;
    expect(await staysSilent(room.viewer, 'chat:removed', () => true, 200)).toBe(true);
  });

  it('the rate limit answers with an error and loses no accepted message', async () => {
    room = await openPressConference(server);
    const replies = [];
    for (let i = 1; i <= 5; i++) replies.push(await room.journalist.send('chat:send', { text: `message ${i}` }));
    expect(replies.slice(0, 3).every((r) => r.ok)).toBe(true);
    for (const refused of replies.slice(3)) {
      expect(refused).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
      if (!refused.ok) expect(refused.error.retryAfterMs).toBeGreaterThan(0);
    }
    const fresh = await LiveClient.connect(server.url, room.tokens.viewer);
    expect(fresh.state.chat.map((m) => m.text)).toEqual(['message 1', 'message 2', 'message 3']);
    fresh.close();
  });

  it('slow mode spaces out audience messages', async () => {
    room = await openPressConference(server, { slowModeSeconds: 30 });
    expect((await room.journalist.send('chat:send', { text: 'one' })).ok).toBe(true);
    expect(await room.journalist.send('chat:send', { text: 'two' })).toMatchObject({
      ok: false,
      error: { code: 'slow_mode' },
    });
    expect((await room.moderator.send('chat:send', { text: 'moderators are not slowed' })).ok).toBe(true);
    expect((await room.moderator.send('chat:send', { text: 'still not' })).ok).toBe(true);
  });

  it('an anonymous viewer cannot chat; a muted journalist cannot until unmuted', async () => {
    room = await openPressConference(server);
    expect(await room.viewer.send('chat:send', { text: 'hi' })).toMatchObject({
      ok: false,
      error: { code: 'name_required' },
    });

    const journalistId = room.journalist.state.me.participantId;
    const told = room.journalist.next('user:status', (s) => s.muted);
    expect(await room.moderator.send('user:mute', { participantId: journalistId, muted: true })).toEqual({ ok: true });
    await told;
    expect(await room.journalist.send('chat:send', { text: 'hello?' })).toMatchObject({
      ok: false,
      error: { code: 'muted' },
    });
    await room.moderator.send('user:mute', { participantId: journalistId, muted: false });
    expect((await room.journalist.send('chat:send', { text: 'back' })).ok).toBe(true);
  });

  it('a ban cuts the socket and the token stops working', async () => {
    room = await openPressConference(server);
    const journalistId = room.journalist.state.me.participantId;
    const banned = room.journalist.next('user:banned');
    const disconnected = new Promise<string>((resolve) => room.journalist.socket.once('disconnect', resolve));
    expect(await room.moderator.send('user:ban', { participantId: journalistId })).toEqual({ ok: true });
    await banned;
    expect(await disconnected).toBe('io server disconnect');

    await expect(LiveClient.connect(server.url, room.tokens.journalist)).rejects.toMatchObject({
      data: { code: 'banned' },
    });
    expect(await room.moderator.send('user:ban', { participantId: room.speaker.state.me.participantId })).toMatchObject(
      {
        ok: false,
        error: { code: 'forbidden' },
      },
    );
  });

  it('after the event ends, the audience can no longer post', async () => {
    room = await openPressConference(server);
    const ended = room.viewer.next('event:status', (s) => s.status === 'ended');
    await room.moderatorApi.expectOk('POST', `/api/events/${room.event.slug}/end`);
    await ended;
    expect(await room.journalist.send('chat:send', { text: 'late' })).toMatchObject({
      ok: false,
      error: { code: 'event_closed' },
    });
  });
});
