import type { ActionReply, ClientActionName, HandView } from '@pressroom/protocol';
import { Api } from './api';
import { LiveClient } from './live-client';
import type { PressConference } from './press-conference';
import type { TestServer } from './server';

/** RTP parameters as a browser's send transport would produce them (no media needs to flow). */
export const opusParameters = (ssrc: number) => ({
  codecs: [
    { mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2, parameters: {}, rtcpFeedback: [] },
  ],
  encodings: [{ ssrc }],
  headerExtensions: [],
  rtcp: { cname: `guest-${ssrc}` },
});
export const vp8Parameters = (ssrc: number) => ({
  codecs: [
    { mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, parameters: {}, rtcpFeedback: [{ type: 'nack' }] },
  ],
  encodings: [{ ssrc }],
  headerExtensions: [],
  rtcp: { cname: `guest-${ssrc}` },
});
export const DTLS = {
  role: 'client',
  fingerprints: [{ algorithm: 'sha-256', value: Array.from({ length: 32 }, () => 'AB').join(':') }],
};

export type Ok<A extends ClientActionName> = Extract<ActionReply<A>, { ok: true }>;

/** Sends an action and fails the test with the server's error unless it is acknowledged as ok. */
export async function ok<A extends ClientActionName>(client: LiveClient, action: A, request: unknown): Promise<Ok<A>> {
  const reply = await client.send(action, request);
  if (!reply.ok) throw new Error(`${action}: ${reply.error.code} ${reply.error.message}`);
  return reply as Ok<A>;
}

/** Joins the studio, opens a connected send transport. */
export async function sendTransport(client: LiveClient): Promise<string> {
  await ok(client, 'studio:join', {});
  const { transport } = await ok(client, 'studio:createTransport', { direction: 'send' });
  await ok(client, 'studio:connectTransport', { transportId: transport.id, dtlsParameters: DTLS });
  return transport.id;
}

/** The journalist raises a hand and the moderator sees it in the queue. */
export async function raiseHand(room: Pick<PressConference, 'moderator'>, journalist: LiveClient): Promise<HandView> {
  const { hand } = await ok(journalist, 'hand:raise', { topic: 'A follow-up' });
  await room.moderator.next('hand:queue', ({ hands }) => hands.some((h) => h.id === hand.id), { past: true });
  return hand;
}

/** Invites the hand on stage; resolves once the journalist holds the invitation. */
export async function invite(room: Pick<PressConference, 'moderator'>, journalist: LiveClient, handId: string) {
  const invited = journalist.next('stage:invited', (i) => i.handId === handId);
  await ok(room.moderator, 'stage:invite', { handId });
  return invited;
}

/** A second journalist of the event, connected. */
export async function anotherJournalist(
  server: TestServer,
  slug: string,
  name = 'Ben Okafor',
  outlet = 'The Courier',
): Promise<{ client: LiveClient; token: string; participantId: string }> {
  const joined = await new Api(server.url).join(slug, { name, outlet });
  return {
    client: await LiveClient.connect(server.url, joined.accessToken),
    token: joined.accessToken,
    participantId: joined.participantId,
  };
}
