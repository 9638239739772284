import { randomUUID } from 'node:crypto';
import type { RestrictionView } from '@pressroom/protocol';
import { Api } from './harness/api';
import { LiveClient } from './harness/live-client';
import { openPressConference, staysSilent, type PressConference } from './harness/press-conference';
import { startServer, type TestServer } from './harness/server';

const COLLEAGUE = { email: 'second.moderator@example.org', password: 'another long password' };

/**
 * A moderation team: what one moderator does to an audience member (mute, unmute, ban), every
 * moderator of the event sees at once and finds again after reconnecting; nobody else hears of it.
 */
describe('moderation sync: every moderator sees who is muted and banned', () => {
  let server: TestServer;
  let colleagueApi: Api;
  let room: PressConference;
  /** The second moderator, on their own account and connection. */
  let colleague: LiveClient;
  let colleagueToken: string;
  const clients: LiveClient[] = [];

  const connect = async (token: string) => {
    const client = await LiveClient.connect(server.url, token);
    clients.push(client);
    return client;
  };
  const restriction = (participantId: string) => (view: RestrictionView) => view.participantId === participantId;

  beforeAll(async () => {
    server = await startServer();
    await (await Api.asModerator(server.url)).expectOk('POST', '/api/moderators', COLLEAGUE);
    const login = await new Api(server.url).expectOk<{ accessToken: string }>('POST', '/api/auth/login', COLLEAGUE);
    colleagueApi = new Api(server.url, login.accessToken);
  });
  afterAll(() => server.close());

  beforeEach(async () => {
    room = await openPressConference(server);
    colleagueToken = (await colleagueApi.join(room.event.slug)).accessToken;
    colleague = await connect(colleagueToken);
  });
  afterEach(() => {
    room.close();
    for (const client of clients.splice(0)) client.close();
  });

  it('a mute reaches every moderator at once, and a moderator who reconnects finds it in the snapshot', async () => {
    const journalistId = room.journalist.state.me.participantId;
    expect(room.moderator.state.restrictions).toEqual([]);
    expect(colleague.state.restrictions).toEqual([]);

    const toColleague = colleague.next('user:restriction', restriction(journalistId));
    const toActor = room.moderator.next('user:restriction', restriction(journalistId));
    expect(await room.moderator.send('user:mute', { participantId: journalistId, muted: true })).toEqual({ ok: true });
    const muted: RestrictionView = {
      participantId: journalistId,
      name: 'Ana García',
      outlet: 'El País',
      role: 'journalist',
      muted: true,
      banned: false,
    };
    expect(await toColleague).toEqual(muted);
    expect(await toActor).toEqual(muted);

    colleague.close();
    const reconnected = await connect(colleagueToken);
    expect(reconnected.state.restrictions).toEqual([muted]);
  });

  it('an unmute by the other moderator takes the journalist off the list', async () => {
    const journalistId = room.journalist.state.me.participantId;
    const mutedHeard = colleague.next('user:restriction', (view) => view.muted);
    await room.moderator.send('user:mute', { participantId: journalistId, muted: true });
    await mutedHeard;

    const unmuted = room.moderator.next('user:restriction', (view) => !view.muted);
    const told = room.journalist.next('user:status', ({ muted }) => !muted);
    expect(await colleague.send('user:mute', { participantId: journalistId, muted: false })).toEqual({ ok: true });
    expect(await unmuted).toMatchObject({ participantId: journalistId, muted: false, banned: false });
    await told;

    const reconnected = await connect(room.tokens.moderator);
    expect(reconnected.state.restrictions).toEqual([]);
  });

  it('a ban shows as banned to every moderator, next to the muted, also after reconnecting', async () => {
    const journalistId = room.journalist.state.me.participantId;
    const viewerId = room.viewer.state.me.participantId;

    const banHeard = room.moderator.next('user:restriction', restriction(journalistId));
    expect(await colleague.send('user:ban', { participantId: journalistId })).toEqual({ ok: true });
    expect(await banHeard).toMatchObject({ name: 'Ana García', muted: false, banned: true });

    const muteHeard = colleague.next('user:restriction', restriction(viewerId));
    expect(await room.moderator.send('user:mute', { participantId: viewerId, muted: true })).toEqual({ ok: true });
    expect(await muteHeard).toEqual({
      participantId: viewerId,
      name: null,
      outlet: null,
      role: 'viewer',
      muted: true,
      banned: false,
    });

    const reconnected = await connect(colleagueToken);
    expect(reconnected.state.restrictions).toHaveLength(2);
    expect(reconnected.state.restrictions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ participantId: journalistId, banned: true, muted: false }),
        expect.objectContaining({ participantId: viewerId, banned: false, muted: true }),
      ]),
    );
  });

  it('the audience and speakers never hear of it, and their snapshot lists nobody', async () => {
    const other = await new Api(server.url).join(room.event.slug, { name: 'Ben Okafor', outlet: 'The Herald' });
    const heard = colleague.next('user:restriction', restriction(other.participantId));
    expect(await room.moderator.send('user:mute', { participantId: other.participantId, muted: true })).toEqual({
      ok: true,
    });
    await heard;

    const audienceAndSpeaker = [room.journalist, room.viewer, room.speaker];
    const silent = await Promise.all(audienceAndSpeaker.map((c) => staysSilent(c, 'user:restriction', () => true)));
    expect(silent).toEqual([true, true, true]);
    expect(audienceAndSpeaker.flatMap((client) => client.all('user:restriction'))).toEqual([]);
    for (const token of [room.tokens.journalist, room.tokens.viewer, room.tokens.speaker]) {
      expect((await connect(token)).state.restrictions).toEqual([]);
    }
    expect((await connect(other.accessToken)).state).toMatchObject({ me: { muted: true }, restrictions: [] });
  });

  it('a refused mute or ban tells no moderator anything', async () => {
    const speakerId = room.speaker.state.me.participantId;
    expect(await room.moderator.send('user:mute', { participantId: speakerId, muted: true })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await room.moderator.send('user:ban', { participantId: randomUUID() })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await staysSilent(colleague, 'user:restriction', () => true)).toBe(true);
    expect((await connect(colleagueToken)).state.restrictions).toEqual([]);
  });
});
