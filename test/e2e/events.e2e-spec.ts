import type { EventDetails, PublicEvent } from '@pressroom/protocol';
import { Api } from './harness/api';
import { LiveClient } from './harness/live-client';
import { serverStage } from './harness/stage';

describe('events: moderators create, edit, list, start and end; anyone reads the public view', () => {
  const suite = serverStage();

  it('creates an event with defaults and a slug made from the title', async () => {
    const event = await suite.moderator.createEvent({ title: 'Conférence de presse — Énergie' });
    expect(event.slug).toMatch(/^conference-de-presse-energie-[0-9a-f]{6}$/);
    expect(event).toMatchObject({
      status: 'scheduled',
      chatMode: 'post',
      questionsEnabled: true,
      retentionHours: 0,
      passwordRequired: false,
      stats: null,
    });
  });

  it('the public view holds no secrets; the password is stored hashed', async () => {
    const event = await suite.moderator.createEvent({ slug: 'secret-briefing', password: 'letmein' });
    const anonymous = new Api(suite.server.url);
    const { status, body } = await anonymous.request<PublicEvent>('GET', `/api/events/${event.slug}`);
    expect(status).toBe(200);
    expect(body.passwordRequired).toBe(true);
    expect(JSON.stringify(body)).not.toMatch(/letmein|passwordHash|"id"/);
    expect(
      (await anonymous.request('POST', '/api/events', { title: 'x', startsAt: new Date().toISOString() })).status,
    ).toBe(401);
  });

  it('refuses a taken slug', async () => {
    await suite.moderator.createEvent({ slug: 'only-once' });
    const again = await suite.moderator.request('POST', '/api/events', {
      title: 'Again',
      slug: 'only-once',
      startsAt: new Date().toISOString(),
    });
    expect(again).toMatchObject({ status: 409, body: { error: 'slug_taken' } });
  });

  it('edits an event and tells connected clients', async () => {
    const event = await suite.moderator.createEvent();
    const viewer = await LiveClient.connect(
      suite.server.url,
      (await new Api(suite.server.url).join(event.slug)).accessToken,
    );
    const told = viewer.next('event:status', (s) => s.event.title === 'Renamed briefing');
    const updated = await suite.moderator.expectOk<EventDetails>('PATCH', `/api/events/${event.slug}`, {
      title: 'Renamed briefing',
      chatMode: 'pre',
      password: 'now-locked',
    });
    expect(updated).toMatchObject({ title: 'Renamed briefing', chatMode: 'pre', passwordRequired: true });
    expect((await told).event.chatMode).toBe('pre');
    const unlocked = await suite.moderator.expectOk<EventDetails>('PATCH', `/api/events/${event.slug}`, {
      password: null,
    });
    expect(unlocked.passwordRequired).toBe(false);
    viewer.close();
  });

  it('goes scheduled → live → ended, telling clients, and refuses other transitions', async () => {
    const event = await suite.moderator.createEvent();
    const viewer = await LiveClient.connect(
      suite.server.url,
      (await new Api(suite.server.url).join(event.slug)).accessToken,
    );
    const live = viewer.next('event:status', (s) => s.status === 'live');
    const started = await suite.moderator.expectOk<EventDetails>('POST', `/api/events/${event.slug}/start`);
    expect(started.startedAt).not.toBeNull();
    await live;
    expect(await suite.moderator.request('POST', `/api/events/${event.slug}/start`)).toMatchObject({
      status: 409,
      body: { error: 'invalid_transition' },
    });
    const ended = viewer.next('event:status', (s) => s.status === 'ended');
    const details = await suite.moderator.expectOk<EventDetails>('POST', `/api/events/${event.slug}/end`);
    expect(details.purgeAt).toBe(details.endedAt);
    await ended;
    viewer.close();
  });

  it('lists events for moderators only', async () => {
    const listed = await suite.moderator.expectOk<EventDetails[]>('GET', '/api/events');
    expect(listed.length).toBeGreaterThan(0);
    expect((await new Api(suite.server.url).request('GET', '/api/events')).status).toBe(401);
  });

  it('serves OpenAPI docs, health and Prometheus metrics', async () => {
    const anonymous = new Api(suite.server.url);
    const docs = await anonymous.request<{ paths: Record<string, unknown> }>('GET', '/api/docs-json');
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/api/auth/login', '/api/events/{slug}/join']),
    );
    expect(await anonymous.request('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
    const metrics = await anonymous.request<string>('GET', '/metrics');
    expect(metrics.body).toContain('pressroom_live_connections');
  });
});
