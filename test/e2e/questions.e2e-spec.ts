import type { QuestionView, Transcript } from '@pressroom/protocol';
import { LiveClient } from './harness/live-client';
import { openPressConference, staysSilent, type PressConference } from './harness/press-conference';
import { startServer, type TestServer } from './harness/server';

describe('questions: journalists ask, moderators decide, everyone sees only approved ones', () => {
  let server: TestServer;
  let room: PressConference;

  beforeAll(async () => (server = await startServer({ QUESTION_RATE_LIMIT: '50' })));
  afterAll(() => server.close());
  beforeEach(async () => (room = await openPressConference(server)));
  afterEach(() => room.close());

  const ask = async (text: string): Promise<QuestionView> => {
    const pending = room.moderator.next('question:pending', (q) => q.text === text);
    const reply = await room.journalist.send('question:ask', { text });
    if (!reply.ok) throw new Error(reply.error.message);
    expect(reply.question.status).toBe('pending');
    return pending;
  };

  it('ask → pending to moderators only → approve → delivered to speakers and audience', async () => {
    const question = await ask('Will the budget include the new rail line?');
    expect(question).toMatchObject({ name: 'Ana García', outlet: 'El País', status: 'pending', votes: 0 });

    expect(await staysSilent(room.speaker, 'question:pending', () => true)).toBe(true);
    expect(room.viewer.all('question:pending')).toHaveLength(0);
    expect(room.journalist.all('question:pending')).toHaveLength(0);

    const toSpeaker = room.speaker.next('question:approved', (q) => q.id === question.id);
    const toViewer = room.viewer.next('question:approved', (q) => q.id === question.id);
    const toJournalist = room.journalist.next('question:approved', (q) => q.id === question.id);
    expect(await room.moderator.send('question:approve', { questionId: question.id })).toEqual({ ok: true });
    for (const delivered of await Promise.all([toSpeaker, toViewer, toJournalist])) {
      expect(delivered).toMatchObject({ text: question.text, status: 'approved', position: 1 });
    }
  });

  it('a rejected question never reaches speakers or the audience, even after reconnecting; its asker is told', async () => {
    const question = await ask('Off-topic rant');
    const toAsker = room.journalist.next('question:removed', ({ id }) => id === question.id);
    expect(await room.moderator.send('question:reject', { questionId: question.id })).toEqual({ ok: true });
    await toAsker;
    expect(await staysSilent(room.viewer, 'question:removed', () => true, 200)).toBe(true);
    for (const client of [room.speaker, room.viewer, room.journalist]) {
      expect(await staysSilent(client, 'question:approved', (q: QuestionView) => q.id === question.id, 200)).toBe(true);
      expect(client.received.some((r) => JSON.stringify(r.payload ?? '').includes('Off-topic rant'))).toBe(false);
    }
    expect(await room.moderator.send('question:approve', { questionId: question.id })).toMatchObject({
      ok: false,
      error: { code: 'invalid_state' },
    });
    const { viewer, moderator } = await reconnect(room, server);
    expect(viewer.state.questions.map((q) => q.id)).not.toContain(question.id);
    expect(moderator.state.questions.map((q) => q.id)).not.toContain(question.id);
    viewer.close();
    moderator.close();
  });

  it('the audience upvotes an approved question once', async () => {
    const question = await ask('How much for hospitals?');
    await room.moderator.send('question:approve', { questionId: question.id });
    const update = room.moderator.next('question:updated', (q) => q.id === question.id && q.votes === 2);
    expect(await room.viewer.send('question:vote', { questionId: question.id })).toEqual({ ok: true, votes: 1 });
    expect(await room.viewer.send('question:vote', { questionId: question.id })).toMatchObject({
      ok: false,
      error: { code: 'already_voted' },
    });
    expect(await room.journalist.send('question:vote', { questionId: question.id })).toEqual({ ok: true, votes: 2 });
    expect((await update).votes).toBe(2);
  });

  it('moderators edit a typo, reorder the queue, mark answered and put one on air', async () => {
    const first = await ask('Frist question');
    const second = await ask('Second question');
    for (const q of [first, second]) await room.moderator.send('question:approve', { questionId: q.id });

    const edited = room.viewer.next('question:updated', (q) => q.id === first.id);
    expect(await room.moderator.send('question:edit', { questionId: first.id, text: 'First question' })).toEqual({
      ok: true,
    });
    expect((await edited).text).toBe('First question');

    const reordered = room.speaker.next('question:reordered');
    expect(await room.moderator.send('question:order', { questionIds: [second.id, first.id] })).toEqual({ ok: true });
    expect((await reordered).questionIds).toEqual([second.id, first.id]);
    expect(await room.moderator.send('question:order', { questionIds: [second.id] })).toMatchObject({
      ok: false,
      error: { code: 'invalid_order' },
    });

    const onAir = room.speaker.next('question:updated', (q) => q.id === second.id && q.onAir);
    expect(await room.moderator.send('question:onAir', { questionId: second.id })).toEqual({ ok: true });
    await onAir;
    const switched = room.viewer.next('question:updated', (q) => q.id === second.id && !q.onAir);
    await room.moderator.send('question:onAir', { questionId: first.id });
    await switched;

    const answered = room.viewer.next('question:updated', (q) => q.id === first.id && q.status === 'answered');
    expect(await room.moderator.send('question:answered', { questionId: first.id })).toEqual({ ok: true });
    expect(await answered).toMatchObject({ onAir: false });
  });

  it('state on connect holds the approved queue in order for the audience and pending ones for moderators', async () => {
    const shown = await ask('Shown question');
    await ask('Still pending');
    await room.moderator.send('question:approve', { questionId: shown.id });
    const { viewer, moderator } = await reconnect(room, server);
    expect(viewer.state.questions.map((q) => q.text)).toEqual(['Shown question']);
    expect(moderator.state.questions.map((q) => q.text)).toEqual(['Shown question', 'Still pending']);
    viewer.close();
    moderator.close();
  });

  it('putting on air what is already so changes nothing: no update, no audit entry', async () => {
    const question = await ask('Once is enough');
    await room.moderator.send('question:approve', { questionId: question.id });
    const onAir = room.viewer.next('question:updated', (q) => q.id === question.id && q.onAir);
    await room.moderator.send('question:onAir', { questionId: question.id });
    await onAir;
    const again = staysSilent(room.viewer, 'question:updated', () => true);
    expect(await room.moderator.send('question:onAir', { questionId: question.id })).toEqual({ ok: true });
    expect(await again).toBe(true);
    await room.moderator.send('question:onAir', { questionId: null });
    expect(await room.moderator.send('question:onAir', { questionId: null })).toEqual({ ok: true });

    const transcript = await room.moderatorApi.expectOk<Transcript>('GET', `/api/events/${room.event.slug}/transcript`);
    expect(transcript.moderation.map((entry) => entry.action).filter((action) => action.includes('Air'))).toEqual([
      'question:onAir',
      'question:offAir',
    ]);
  });

  it('once the event has ended, votes are refused', async () => {
    const question = await ask('Last one?');
    await room.moderator.send('question:approve', { questionId: question.id });
    await room.moderatorApi.expectOk('POST', `/api/events/${room.event.slug}/end`);
    expect(await room.viewer.send('question:vote', { questionId: question.id })).toMatchObject({
      ok: false,
      error: { code: 'event_closed' },
    });
  });

  it('questions closed for the event are refused', async () => {
    room.close();
    room = await openPressConference(server, { questionsEnabled: false });
    expect(await room.journalist.send('question:ask', { text: 'Anyone?' })).toMatchObject({
      ok: false,
      error: { code: 'questions_closed' },
    });
  });
});

async function reconnect(room: PressConference, server: TestServer) {
  return {
    viewer: await LiveClient.connect(server.url, room.tokens.viewer),
    moderator: await LiveClient.connect(server.url, room.tokens.moderator),
  };
}
