import type { HttpErrorBody, JoinRequest, JoinResponse, SpeakerInviteView } from '@pressroom/protocol';
import jwt from 'jsonwebtoken';
import { SecretsService } from '../../apps/api/src/auth/secrets.service';
import { LiveClient } from './harness/live-client';
import { serverStage } from './harness/stage';

/** Players ask for the playlist every second: a refusal must come within about one refresh. */
const ONE_REFRESH_MS = 2_000;

describe('The stream pass of a password-protected event ends with a ban or a new password', () => {
  const suite = serverStage();

  /** Joins as the browser would and returns the access it got and the cookie it keeps. */
  async function joinWithCookie(
    slug: string,
    request: JoinRequest,
    bearer?: string,
  ): Promise<{ joined: JoinResponse; cookie: string }> {
    const response = await fetch(`${suite.server.url}/api/events/${slug}/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body: JSON.stringify(request),
    });
    expect(response.status).toBe(200);
    const [cookie] = response.headers.getSetCookie();
    expect(cookie).toMatch(new RegExp(`^pressroom_hls_${slug}=`));
    return { joined: (await response.json()) as JoinResponse, cookie: cookie!.split(';')[0]! };
  }

  const playlist = (slug: string, cookie: string) =>
    fetch(`${suite.server.url}/hls/${slug}/index.m3u8`, { headers: { cookie } });

  /** Asks for the playlist as a player does (a little more often) until it is refused, or gives up. */
  async function refusal(slug: string, cookie: string, giveUpMs = 5_000) {
    const since = Date.now();
    while (Date.now() - since < giveUpMs) {
      const response = await playlist(slug, cookie);
      if (response.status !== 200) {
        return { status: response.status, body: (await response.json()) as HttpErrorBody, afterMs: Date.now() - since };
      }
      await response.arrayBuffer();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return { status: 200, body: null, afterMs: Date.now() - since };
  }

  it("refuses a banned journalist's pass within one playlist refresh, while the others keep watching", async () => {
    const event = await suite.moderator.createEvent({ password: 'press-only' });
    const ana = await joinWithCookie(event.slug, { name: 'Ana García', outlet: 'El País', password: 'press-only' });
    const ben = await joinWithCookie(event.slug, { name: 'Ben Okafor', outlet: 'Reuters', password: 'press-only' });
    expect((await playlist(event.slug, ana.cookie)).status).toBe(200);

    const room = await LiveClient.connect(suite.server.url, (await suite.moderator.join(event.slug)).accessToken);
    expect(await room.send('user:ban', { participantId: ana.joined.participantId })).toEqual({ ok: true });
    const refused = await refusal(event.slug, ana.cookie);
    room.close();

    expect(refused).toMatchObject({ status: 403, body: { error: 'banned' } });
    expect(refused.afterMs).toBeLessThan(ONE_REFRESH_MS);
    expect((await playlist(event.slug, ben.cookie)).status).toBe(200);

    // The audience is anonymous: joining again with the password is a new person, with a new pass.
    const again = await joinWithCookie(event.slug, { name: 'Ana García', outlet: 'El País', password: 'press-only' });
    expect(again.joined.participantId).not.toBe(ana.joined.participantId);
    expect((await playlist(event.slug, again.cookie)).status).toBe(200);
  });

  it("refuses every pass given for the old password within a refresh; the moderators', speakers' and crew's stay", async () => {
    const event = await suite.moderator.createEvent({ password: 'first secret' });
    const viewer = await joinWithCookie(event.slug, { password: 'first secret' });
    const journalist = await joinWithCookie(event.slug, {
      name: 'Ana García',
      outlet: 'El País',
      password: 'first secret',
    });
    const invite = await suite.moderator.inviteSpeaker(event.slug, 'Minister Ruiz');
    const speaker = await joinWithCookie(event.slug, { invite: invite.inviteToken });
    const crewInvite = await suite.moderator.expectOk<SpeakerInviteView>('POST', `/api/events/${event.slug}/speakers`, {
      name: 'Ines Interpreter',
      role: 'interpreter',
      language: 'fr',
    });
    const interpreter = await joinWithCookie(event.slug, { invite: crewInvite.inviteToken });
    expect(interpreter.joined.role).toBe('interpreter');
    const console = await joinWithCookie(event.slug, {}, suite.moderator.bearer);
    for (const pass of [viewer, journalist, speaker, interpreter, console]) {
      expect((await playlist(event.slug, pass.cookie)).status).toBe(200);
    }

    await suite.moderator.expectOk('PATCH', `/api/events/${event.slug}`, { password: 'second secret' });
    const refused = await refusal(event.slug, viewer.cookie);
    expect(refused).toMatchObject({
      status: 403,
      body: { error: 'forbidden', message: expect.stringMatching(/password changed/) },
    });
    expect(refused.afterMs).toBeLessThan(ONE_REFRESH_MS);
    expect((await playlist(event.slug, journalist.cookie)).status).toBe(403);
    // They did not join by the password: the console's preview and the studio go on.
    expect((await playlist(event.slug, console.cookie)).status).toBe(200);
    expect((await playlist(event.slug, speaker.cookie)).status).toBe(200);
    // The crew is invited like the speakers: their pass does not depend on the password either.
    expect((await playlist(event.slug, interpreter.cookie)).status).toBe(200);

    const rejoined = await joinWithCookie(event.slug, { password: 'second secret' });
    expect((await playlist(event.slug, rejoined.cookie)).status).toBe(200);

    // The same password set again is a new password too: passes given before it end.
    await suite.moderator.expectOk('PATCH', `/api/events/${event.slug}`, { password: 'second secret' });
    expect((await refusal(event.slug, rejoined.cookie)).status).toBe(403);
  });

  it('refuses the passes given before passes named their holder, and shows no password hash', async () => {
    const event = await suite.moderator.createEvent({ password: 'press-only' });
    const { cookie } = await joinWithCookie(event.slug, { password: 'press-only' });
    const claims = JSON.parse(Buffer.from(cookie.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ typ: 'hls', eid: event.id, sub: expect.any(String), pwd: expect.any(String) });
    expect(JSON.stringify(claims)).not.toContain('scrypt');

    // A cookie from before this version (48 h long): signed by this server, but for the event only.
    const secret = await suite.server.app.get(SecretsService).tokenSigningKey();
    const old = jwt.sign({ typ: 'hls', eid: event.id }, secret, { algorithm: 'HS256', expiresIn: 3600 });
    const refused = await playlist(event.slug, `pressroom_hls_${event.slug}=${old}`);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: 'unauthorized', message: expect.stringMatching(/join again/) });
  });
});
