import { forbiddenCharacter, type JoinResponse } from '@pressroom/protocol';
import { LiveClient } from './harness/live-client';
import { Api } from './harness/api';
import { openPressConference, type PressConference } from './harness/press-conference';
import { startServer, type TestServer } from './harness/server';

/**
 * One rule for the text people type (libs/protocol `forbiddenCharacter`): control characters and bidi
 * overrides are refused with a message naming the character, over REST and over the socket alike; line
 * breaks and tabs only in multi-line texts (chat, questions); surrounding spaces are trimmed as before.
 */
const FORBIDDEN: Array<[string, string]> = [
  ['a NUL', '\u0000'],
  ['an escape (C0)', '\u001b'],
  ['a delete (DEL)', '\u007f'],
  ['a next line (C1)', '\u0085'],
  ['a control sequence introducer (C1)', '\u009b'],
  ['a right-to-left override', '\u202e'],
  ['a left-to-right isolate', '\u2066'],
];
const code = (character: string) => `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

describe('Control characters in what people type', () => {
  let server: TestServer;
  let room: PressConference;
  let audience: Api;

  beforeAll(async () => {
    server = await startServer({ QUESTION_RATE_LIMIT: '1000', CHAT_RATE_LIMIT: '1000' });
    room = await openPressConference(server);
    audience = new Api(server.url);
  });
  afterAll(async () => {
    room.close();
    await server.close();
  });

  const join = (body: object) => audience.request<JoinResponse>('POST', `/api/events/${room.event.slug}/join`, body);
  const refusedOverRest = (field: string, character: string) => ({
    status: 400,
    body: {
      statusCode: 400,
      error: 'bad_request',
      message: `${field} must not contain control characters or line breaks (${code(character)} found)`,
    },
  });
  const refusedOverSocket = (field: string, character: string, multiline: boolean) => ({
    ok: false,
    error: {
      code: 'bad_request',
      message: `${field} must not contain control characters${multiline ? '' : ' or line breaks'} (${code(character)} found)`,
    },
  });

  it.each(FORBIDDEN)('refuses a name or outlet with %s when joining', async (_, character) => {
    expect(await join({ name: `Ana${character}García`, outlet: 'El País' })).toEqual(
      refusedOverRest('name', character),
    );
    expect(await join({ name: 'Ana García', outlet: `El${character} País` })).toEqual(
      refusedOverRest('outlet', character),
    );
    expect(
      await room.moderatorApi.request('POST', `/api/events/${room.event.slug}/speakers`, { name: `Ruiz${character}` }),
    ).toEqual(refusedOverRest('name', character));
  });

  it.each(FORBIDDEN)('refuses chat, questions and hand topics with %s', async (_, character) => {
    expect(await room.journalist.send('chat:send', { text: `Hello${character}` })).toEqual(
      refusedOverSocket('text', character, true),
    );
    expect(await room.journalist.send('question:ask', { text: `Why${character}?` })).toEqual(
      refusedOverSocket('text', character, true),
    );
    expect(await room.journalist.send('hand:raise', { topic: `Rail${character}` })).toEqual(
      refusedOverSocket('topic', character, false),
    );
    const asked = await room.journalist.send('question:ask', { text: `A clean question ${code(character)}` });
    if (!asked.ok) throw new Error(asked.error.message);
    expect(
      await room.moderator.send('question:edit', { questionId: asked.question.id, text: `Edited${character}` }),
    ).toEqual(refusedOverSocket('text', character, true));
  });

  it('kept nothing it refused: the moderators see only clean text', async () => {
    const moderator = await LiveClient.connect(server.url, room.tokens.moderator);
    const texts = [
      ...moderator.state.chat.map((message) => message.text),
      ...moderator.state.questions.map((question) => question.text),
      ...moderator.state.hands.map((hand) => hand.topic ?? ''),
    ];
    moderator.close();
    expect(texts.filter((text) => forbiddenCharacter(text, true) !== null)).toEqual([]);
    expect(moderator.state.questions).toHaveLength(FORBIDDEN.length);
  });

  it('lets line breaks into chat and questions only, trims surrounding spaces, and keeps right-to-left marks', async () => {
    expect(await join({ name: 'Ana\nGarcía', outlet: 'El País' })).toEqual(refusedOverRest('name', '\n'));
    expect(await room.journalist.send('hand:raise', { topic: 'Rail\tbudget' })).toEqual(
      refusedOverSocket('topic', '\t', false),
    );

    const chat = await room.journalist.send('chat:send', { text: 'First line\nsecond line' });
    expect(chat).toMatchObject({ ok: true, message: { text: 'First line\nsecond line' } });
    const question = await room.journalist.send('question:ask', { text: '  Two parts:\n\t1. rail\n\t2. roads  ' });
    expect(question).toMatchObject({ ok: true, question: { text: 'Two parts:\n\t1. rail\n\t2. roads' } });

    // Arabic with a right-to-left mark: a mark is not an override.
    const arabic = await join({ name: ' \u200fليلى حداد ', outlet: 'الجزيرة' });
    expect(arabic.status).toBe(200);
    expect(arabic.body.role).toBe('journalist');
  });

  it('refuses control characters in an event title, and in its description except line breaks', async () => {
    const title = await room.moderatorApi.request('POST', '/api/events', {
      title: 'Budget\u0000briefing',
      startsAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(title).toEqual(refusedOverRest('title', '\u0000'));
    const description = await room.moderatorApi.request('PATCH', `/api/events/${room.event.slug}`, {
      description: 'Agenda:\n1. budget\u202e',
    });
    expect(description).toMatchObject({
      status: 400,
      body: { message: 'description must not contain control characters (U+202E found)' },
    });
    expect(
      (
        await room.moderatorApi.request('PATCH', `/api/events/${room.event.slug}`, {
          description: 'Agenda:\n1. budget',
        })
      ).status,
    ).toBe(200);
  });
});
