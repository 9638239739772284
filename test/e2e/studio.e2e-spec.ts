import { randomUUID } from 'node:crypto';
import type { StudioPeerInfo } from '@pressroom/protocol';
import { WorkerPool } from '../../apps/api/src/media/worker-pool';
import { Api } from './harness/api';
import { DTLS, ok, opusParameters, vp8Parameters, type Ok } from './harness/guest';
import { LiveClient } from './harness/live-client';
import { openPressConference, type PressConference } from './harness/press-conference';
import { startServer, type TestServer } from './harness/server';

describe('studio: WebRTC signalling through the SFU', () => {
  let server: TestServer;
  let room: PressConference;
  let secondSpeaker: LiveClient;

  beforeAll(async () => (server = await startServer({ MEDIASOUP_WORKERS: '2' })));
  afterAll(() => server.close());
  beforeEach(async () => {
    room = await openPressConference(server);
    const invite = await room.moderatorApi.inviteSpeaker(room.event.slug, 'Second speaker');
    const token = (await new Api(server.url).join(room.event.slug, { invite: invite.inviteToken })).accessToken;
    secondSpeaker = await LiveClient.connect(server.url, token);
  });
  afterEach(() => {
    room.close();
    secondSpeaker.close();
  });

  async function publish(client: LiveClient, ssrc: number) {
    await ok(client, 'studio:join', {});
    const { transport } = await ok(client, 'studio:createTransport', { direction: 'send' });
    await ok(client, 'studio:connectTransport', { transportId: transport.id, dtlsParameters: DTLS });
    const { producerId } = await ok(client, 'studio:produce', {
      transportId: transport.id,
      kind: 'audio',
      rtpParameters: opusParameters(ssrc),
      source: 'microphone',
    });
    return { transport, producerId };
  }

  it('a speaker joins, publishes, and another speaker consumes the track', async () => {
    const joined = await ok(room.speaker, 'studio:join', {});
    expect((joined.routerRtpCapabilities.codecs as Array<{ mimeType: string }>).map((c) => c.mimeType)).toEqual(
      expect.arrayContaining(['audio/opus', 'video/VP8', 'video/H264']),
    );
    const { transport } = await ok(room.speaker, 'studio:createTransport', { direction: 'send' });
    expect(transport.iceCandidates).toEqual(expect.arrayContaining([expect.objectContaining({ ip: '127.0.0.1' })]));

    const { peers } = await ok(secondSpeaker, 'studio:join', {});
    expect(peers.map((p: StudioPeerInfo) => p.name)).toEqual(['Minister Ruiz']);

    const announced = secondSpeaker.next('studio:newProducer');
    const { producerId } = await ok(room.speaker, 'studio:produce', {
      transportId: transport.id,
      kind: 'video',
      rtpParameters: vp8Parameters(1111),
      source: 'camera',
    });
    expect(await announced).toMatchObject({
      producerId,
      kind: 'video',
      source: 'camera',
      peerId: room.speaker.state.me.participantId,
    });

    const recv = await ok(secondSpeaker, 'studio:createTransport', { direction: 'recv' });
    const { consumer } = await ok(secondSpeaker, 'studio:consume', {
      transportId: recv.transport.id,
      producerId,
      rtpCapabilities: joined.routerRtpCapabilities,
    });
    expect(consumer).toMatchObject({ producerId, kind: 'video', source: 'camera' });
    await ok(secondSpeaker, 'studio:resumeConsumer', { consumerId: consumer.consumerId });

    const consumerClosed = secondSpeaker.next('studio:consumerClosed', (c) => c.consumerId === consumer.consumerId);
    const peerLeft = secondSpeaker.next('studio:peerLeft');
    room.speaker.close();
    await Promise.all([consumerClosed, peerLeft]);
  });

  it('refuses wrong roles, unknown ids, malformed parameters and actions before joining', async () => {
    expect(await room.journalist.send('studio:join', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await room.viewer.send('studio:createTransport', { direction: 'send' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await room.speaker.send('studio:createTransport', { direction: 'send' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_state' },
    });

    await ok(room.speaker, 'studio:join', {});
    const { transport } = await ok(room.speaker, 'studio:createTransport', { direction: 'send' });
    expect(
      await room.speaker.send('studio:connectTransport', { transportId: randomUUID(), dtlsParameters: DTLS }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(
      await room.speaker.send('studio:connectTransport', { transportId: 'nope', dtlsParameters: DTLS }),
    ).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(
      await room.speaker.send('studio:produce', {
        transportId: transport.id,
        kind: 'audio',
        rtpParameters: { codecs: 'opus', encodings: 7 },
        source: 'microphone',
      }),
    ).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(
      await room.speaker.send('studio:produce', {
        transportId: transport.id,
        kind: 'video',
        rtpParameters: vp8Parameters(5),
        source: 'microphone',
      }),
    ).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await room.speaker.send('studio:resumeConsumer', { consumerId: randomUUID() })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await room.speaker.send('studio:direction' as 'studio:join', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown_event' },
    });

    // Still working after all that.
    const { producerId } = await ok(room.speaker, 'studio:produce', {
      transportId: transport.id,
      kind: 'audio',
      rtpParameters: opusParameters(42),
      source: 'microphone',
    });
    expect(producerId).toEqual(expect.any(String));
  });

  it('a speaker cannot touch another speaker’s transports or tracks', async () => {
    const first = await publish(room.speaker, 7);
    await ok(secondSpeaker, 'studio:join', {});
    expect(
      await secondSpeaker.send('studio:connectTransport', { transportId: first.transport.id, dtlsParameters: DTLS }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await secondSpeaker.send('studio:closeProducer', { producerId: first.producerId })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('when the media worker dies, peers are told to rejoin and the studio comes back on another worker', async () => {
    await publish(room.speaker, 9);
    const pool = server.app.get(WorkerPool);
    const reset = room.speaker.next('studio:reset', () => true, { timeoutMs: 5000 });
    const studioPids = new Set<number>();
    for (let i = 0; i < pool.size; i++) studioPids.add(pool.next().pid);
    // Kill every worker: whichever held the room dies.
    for (const pid of studioPids) process.kill(pid, 'SIGKILL');
    expect((await reset).reason).toMatch(/restarted/);

    const again = await waitForRejoin(room.speaker);
    expect(again.routerRtpCapabilities).toBeDefined();
    const { transport } = await ok(room.speaker, 'studio:createTransport', { direction: 'send' });
    expect(transport.id).toEqual(expect.any(String));
  });
});

/** What a client does on `studio:reset`: join again, retrying while the workers come back. */
async function waitForRejoin(client: LiveClient, timeoutMs = 5000): Promise<Ok<'studio:join'>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reply = await client.send('studio:join', {});
    if (reply.ok) return reply;
    if (Date.now() > deadline) throw new Error(`could not rejoin: ${reply.error.message}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
