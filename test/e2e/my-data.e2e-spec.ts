import { FORGOTTEN_NAME, type ForgetMeResponse, type MyData, type Transcript } from '@pressroom/protocol';
import { randomBytes } from 'node:crypto';
import { PurgeService } from '../../apps/api/src/privacy/purge.service';
import { Api } from './harness/api';
import { findMarkers } from './harness/disk-scan';
import { ok } from './harness/guest';
import { LiveClient } from './harness/live-client';
import { startServer, type TestServer } from './harness/server';

/**
 * "My data" and "forget me": a journalist posts, asks, votes, raises a hand and comes on stage; their
 * download holds exactly that and nothing of anyone else; after "forget me" their name and outlet are gone
 * from every view, the transcript and the database's files, and everyone else's data is as it was.
 */
describe('my data: download everything about me, then forget me', () => {
  const tag = randomBytes(4).toString('hex');
  const marker = (what: string) => `PRV${tag}${what}`;
  const ME = { name: marker('AnaNäme'), outlet: marker('AnaOutlet') };
  const OTHER = { name: marker('BenName'), outlet: marker('BenOutlet') };
  const TEXT = {
    myChat: marker('MyChat'),
    myQuestion: marker('MyQuestion'),
    myTopic: marker('MyTopic'),
    otherChat: marker('OtherChat'),
    otherQuestion: marker('OtherQuestion'),
  };

  let server: TestServer;
  let moderatorApi: Api;
  let slug: string;
  let me: { api: Api; client: LiveClient; participantId: string };
  let other: { api: Api; client: LiveClient; participantId: string };
  let moderator: LiveClient;
  let viewer: LiveClient;
  const ids = { myChat: '', myQuestion: '', myHand: '', otherQuestion: '' };

  const join = async (fields: { name?: string; outlet?: string }) => {
    const joined = await new Api(server.url).join(slug, fields);
    return {
      api: new Api(server.url, joined.accessToken),
      client: await LiveClient.connect(server.url, joined.accessToken),
      participantId: joined.participantId,
    };
  };

  beforeAll(async () => {
    server = await startServer();
    moderatorApi = await Api.asModerator(server.url);
    ({ slug } = await moderatorApi.createEvent({ title: 'My data', retentionHours: 24, chatMode: 'post' }));
    moderator = await LiveClient.connect(server.url, (await moderatorApi.join(slug)).accessToken);
    me = await join(ME);
    other = await join(OTHER);
    viewer = (await join({})).client;
  });
  afterAll(async () => {
    for (const client of [moderator, me?.client, other?.client, viewer]) client?.close();
    await server?.close();
  });

  it('a journalist posts, asks, votes, raises a hand and comes on stage; another journalist does the same', async () => {
    ids.myChat = (await ok(me.client, 'chat:send', { text: TEXT.myChat })).message.id;
    await ok(other.client, 'chat:send', { text: TEXT.otherChat });
    ids.myQuestion = (await ok(me.client, 'question:ask', { text: TEXT.myQuestion })).question.id;
    ids.otherQuestion = (await ok(other.client, 'question:ask', { text: TEXT.otherQuestion })).question.id;
    await ok(moderator, 'question:approve', { questionId: ids.myQuestion });
    await ok(moderator, 'question:approve', { questionId: ids.otherQuestion });
    await ok(me.client, 'question:vote', { questionId: ids.otherQuestion });
    await ok(other.client, 'question:vote', { questionId: ids.myQuestion });
    // A turn on stage: hand up, invited, accepted, left (the hand is answered).
    const first = (await ok(me.client, 'hand:raise', {})).hand;
    const invited = me.client.next('stage:invited');
    await ok(moderator, 'stage:invite', { handId: first.id });
    await invited;
    await ok(me.client, 'stage:accept', {});
    await ok(me.client, 'stage:leave', {});
    ids.myHand = (await ok(me.client, 'hand:raise', { topic: TEXT.myTopic })).hand.id;
    await ok(other.client, 'hand:raise', {});
  });

  it('"my data" returns exactly those items, and nothing of the other participants', async () => {
    const { status, body } = await me.api.request<MyData>('GET', `/api/events/${slug}/me`);
    expect(status).toBe(200);
    expect(body.identity).toMatchObject({ participantId: me.participantId, role: 'journalist', ...ME, banned: false });
    expect(body.event).toMatchObject({ slug, retentionHours: 24 });
    expect(body.chat.map((m) => [m.id, m.text, m.authorName])).toEqual([[ids.myChat, TEXT.myChat, ME.name]]);
    expect(body.questions.map((q) => [q.id, q.text, q.status, q.votes])).toEqual([
      [ids.myQuestion, TEXT.myQuestion, 'approved', 1],
    ]);
    expect(body.votes).toEqual([{ questionId: ids.otherQuestion, questionText: TEXT.otherQuestion }]);
    expect(body.hands.map((h) => [h.status, h.topic])).toEqual([
      ['answered', null],
      ['raised', TEXT.myTopic],
    ]);
    expect(body.stage).toEqual([
      expect.objectContaining({ participantId: me.participantId, ...ME, to: expect.any(String) }),
    ]);
    const json = JSON.stringify(body);
    for (const text of [OTHER.name, OTHER.outlet, TEXT.otherChat, other.participantId])
      expect(json).not.toContain(text);
  });

  it('refuses without a token, with another event’s token and with a moderator’s login', async () => {
    expect((await new Api(server.url).request('GET', `/api/events/${slug}/me`)).status).toBe(401);
    const elsewhere = await moderatorApi.createEvent({ title: 'Elsewhere' });
    const outsider = await new Api(server.url).join(elsewhere.slug, { name: 'Outsider' });
    const wrong = await new Api(server.url, outsider.accessToken).request('DELETE', `/api/events/${slug}/me`);
    expect(wrong).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
    expect((await moderatorApi.request('GET', `/api/events/${slug}/me`)).status).toBe(401);
    expect((await new Api(server.url, 'nonsense').request('GET', `/api/events/${slug}/me`)).status).toBe(401);
  });

  it('"forget me" erases the name and outlet from every view, the transcript and the database files', async () => {
    const otherSees = other.client.next('question:updated', (q) => q.id === ids.myQuestion);
    const viewerSees = viewer.next('chat:message', (m) => m.id === ids.myChat);
    const moderatorHands = moderator.next('hand:queue', ({ hands }) => hands.some((h) => h.id === ids.myHand));

    const { status, body } = await me.api.request<ForgetMeResponse>('DELETE', `/api/events/${slug}/me`);
    expect(status).toBe(200);
    expect(body).toEqual({ forgotten: true, items: 5 }); // 1 message, 1 question, 2 hands, 1 appearance

    // Live views of others change at once.
    expect(await otherSees).toMatchObject({ name: FORGOTTEN_NAME, outlet: '', text: TEXT.myQuestion });
    expect(await viewerSees).toMatchObject({ authorName: FORGOTTEN_NAME, authorOutlet: null, text: TEXT.myChat });
    const { hands } = await moderatorHands;
    expect(hands.find((h) => h.id === ids.myHand)).toMatchObject({ name: FORGOTTEN_NAME, outlet: '' });

    // Every view on reconnect: the state snapshots of the others, and the journalist's own data.
    for (const token of [other.api.bearer!, (await moderatorApi.join(slug)).accessToken]) {
      const client = await LiveClient.connect(server.url, token);
      const json = JSON.stringify(client.state);
      client.close();
      expect(json).not.toContain(ME.name);
      expect(json).not.toContain(ME.outlet);
      expect(json).toContain(FORGOTTEN_NAME);
    }
    const mine = await me.api.expectOk<MyData>('GET', `/api/events/${slug}/me`);
    expect(mine.identity).toMatchObject({ name: null, outlet: null });
    expect(mine.chat[0]).toMatchObject({ authorName: FORGOTTEN_NAME, text: TEXT.myChat });

    // The transcript export, JSON and Markdown.
    const transcript = await moderatorApi.expectOk<Transcript>('GET', `/api/events/${slug}/transcript`);
    const markdown = (await moderatorApi.request<string>('GET', `/api/events/${slug}/transcript?format=markdown`)).body;
    for (const text of [JSON.stringify(transcript), markdown]) {
      expect(text).not.toContain(ME.name);
      expect(text).not.toContain(ME.outlet);
      expect(text).toContain(OTHER.name);
      expect(text).toContain(TEXT.myQuestion);
    }
    expect(transcript.stage).toEqual([expect.objectContaining({ name: FORGOTTEN_NAME, outlet: '' })]);
    // In a moderator's Spanish transcript, the forgotten journalist is signed as the Spanish pages sign them.
    const spanish = (
      await moderatorApi.request<string>('GET', `/api/events/${slug}/transcript?format=markdown&language=es`)
    ).body;
    expect(spanish).toContain('**Un participante**');
    expect(spanish).not.toContain(FORGOTTEN_NAME);

    // The database's files, byte for byte (UTF-8 and UTF-16): the name and outlet are gone...
    expect(findMarkers([server.dataDir], [ME.name, ME.outlet])).toEqual([]);
    // ...and everyone else's data, and what the journalist wrote, are still there.
    const kept = new Set(findMarkers([server.dataDir], Object.values({ ...OTHER, ...TEXT })).map((hit) => hit.marker));
    expect([...kept].sort()).toEqual(Object.values({ ...OTHER, ...TEXT }).sort());
  });

  it('the other journalist’s own data is untouched', async () => {
    const theirs = await other.api.expectOk<MyData>('GET', `/api/events/${slug}/me`);
    expect(theirs.identity).toMatchObject(OTHER);
    expect(theirs.chat.map((m) => m.authorName)).toEqual([OTHER.name]);
    expect(theirs.questions.map((q) => [q.name, q.outlet, q.votes])).toEqual([[OTHER.name, OTHER.outlet, 1]]);
    expect(theirs.votes).toEqual([{ questionId: ids.myQuestion, questionText: TEXT.myQuestion }]);
  });

  it('the forgotten journalist keeps watching; the chat asks them for a name again', async () => {
    const reply = await me.client.send('chat:send', { text: 'still here' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'name_required' } });
  });

  it('a speaker forgets: their invite and studio name become "A participant", the bytes of the old one are gone', async () => {
    const speakerName = marker('SpeakerName');
    const invite = await moderatorApi.inviteSpeaker(slug, speakerName);
    const joined = await new Api(server.url).join(slug, { invite: invite.inviteToken });
    const speaker = new Api(server.url, joined.accessToken);
    const client = await LiveClient.connect(server.url, joined.accessToken);
    await ok(client, 'chat:send', { text: marker('SpeakerChat') });
    client.close();
    const before = await speaker.expectOk<MyData>('GET', `/api/events/${slug}/me`);
    expect(before.identity).toMatchObject({ role: 'speaker', name: speakerName, inviteName: speakerName });

    await speaker.expectOk('DELETE', `/api/events/${slug}/me`);
    const after = await speaker.expectOk<MyData>('GET', `/api/events/${slug}/me`);
    expect(after.identity).toMatchObject({ name: FORGOTTEN_NAME, inviteName: FORGOTTEN_NAME });
    expect(after.chat.map((m) => m.authorName)).toEqual([FORGOTTEN_NAME]);
    const invites = await moderatorApi.expectOk<Array<{ id: string; name: string }>>(
      'GET',
      `/api/events/${slug}/speakers`,
    );
    expect(invites.find((i) => i.id === invite.id)?.name).toBe(FORGOTTEN_NAME);
    // Back in the studio under the new name (the invite still works), and the old name is nowhere on disk.
    const back = await LiveClient.connect(
      server.url,
      (await new Api(server.url).join(slug, { invite: invite.inviteToken })).accessToken,
    );
    expect(back.state.me.name).toBe(FORGOTTEN_NAME);
    back.close();
    expect(findMarkers([server.dataDir], [speakerName])).toEqual([]);
  });

  it('a banned journalist may still download and erase what is held about them; a purged event has nothing', async () => {
    const banned = await join({ name: marker('Banned'), outlet: 'Somewhere' });
    await ok(moderator, 'user:ban', { participantId: banned.participantId });
    const data = await banned.api.request<MyData>('GET', `/api/events/${slug}/me`);
    expect(data).toMatchObject({ status: 200, body: { identity: { banned: true, name: marker('Banned') } } });
    expect((await banned.api.request('DELETE', `/api/events/${slug}/me`)).status).toBe(200);
    banned.client.close();

    const { slug: short } = await moderatorApi.createEvent({ title: 'Short', retentionHours: 0 });
    const gone = await new Api(server.url).join(short, { name: 'Gone' });
    await moderatorApi.expectOk('POST', `/api/events/${short}/start`);
    await moderatorApi.expectOk('POST', `/api/events/${short}/end`);
    await server.app.get(PurgeService).purgeDue();
    const after = await new Api(server.url, gone.accessToken).request('GET', `/api/events/${short}/me`);
    expect(after).toMatchObject({ status: 410, body: { error: 'event_purged' } });
  });

  it('a journalist on stage forgets: the moderators’ stage panel shows the new name at once', async () => {
    const guest = await join({ name: marker('Guest'), outlet: marker('GuestOutlet') });
    const { hand } = await ok(guest.client, 'hand:raise', {});
    const invited = guest.client.next('stage:invited');
    await ok(moderator, 'stage:invite', { handId: hand.id });
    await invited;
    await ok(guest.client, 'stage:accept', {});
    const renamed = moderator.next('stage:changed', ({ guests }) =>
      guests.some((g) => g.participantId === guest.participantId && g.name === FORGOTTEN_NAME),
    );
    await guest.api.expectOk('DELETE', `/api/events/${slug}/me`);
    expect((await renamed).guests.find((g) => g.participantId === guest.participantId)).toMatchObject({ outlet: '' });
    await ok(guest.client, 'stage:leave', {});
    guest.client.close();
  });
});
