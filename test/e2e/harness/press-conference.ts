import type { EventDetails, CreateEventRequest } from '@pressroom/protocol';
import { Api } from './api';
import { LiveClient } from './live-client';
import type { TestServer } from './server';

/** One event with a connected client in each role: the cast of most conversation tests. */
export interface PressConference {
  moderatorApi: Api;
  event: EventDetails;
  moderator: LiveClient;
  speaker: LiveClient;
  journalist: LiveClient;
  viewer: LiveClient;
  tokens: { moderator: string; speaker: string; journalist: string; viewer: string };
  close(): void;
}

export async function openPressConference(
  server: TestServer,
  fields: Partial<CreateEventRequest> = {},
): Promise<PressConference> {
  const moderatorApi = await Api.asModerator(server.url);
  const event = await moderatorApi.createEvent(fields);
  const invite = await moderatorApi.inviteSpeaker(event.slug, 'Minister Ruiz');
  const audience = new Api(server.url);
  const password = fields.password;
  const tokens = {
    moderator: (await moderatorApi.join(event.slug)).accessToken,
    speaker: (await audience.join(event.slug, { invite: invite.inviteToken })).accessToken,
    journalist: (await audience.join(event.slug, { name: 'Ana García', outlet: 'El País', password })).accessToken,
    viewer: (await audience.join(event.slug, { password })).accessToken,
  };
  const [moderator, speaker, journalist, viewer] = await Promise.all(
    [tokens.moderator, tokens.speaker, tokens.journalist, tokens.viewer].map((token) =>
      LiveClient.connect(server.url, token),
    ),
  );
  return {
    moderatorApi,
    event,
    moderator: moderator!,
    speaker: speaker!,
    journalist: journalist!,
    viewer: viewer!,
    tokens,
    close: () => [moderator, speaker, journalist, viewer].forEach((client) => client!.close()),
  };
}

/** Resolves false if the event arrives within `ms`, true if it does not. */
export async function staysSilent(
  client: LiveClient,
  name: Parameters<LiveClient['next']>[0],
  match: (p: never) => boolean,
  ms = 400,
) {
  return client.next(name, match as never, { timeoutMs: ms }).then(
    () => false,
    () => true,
  );
}
