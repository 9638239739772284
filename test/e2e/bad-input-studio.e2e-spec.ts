/**
 * Bad input on the studio's signalling actions: malformed, oversized and wrong-typed payloads of every
 * studio action, sent by a speaker who has not joined the studio. Every refusal is a clear bad_request
 * naming what is wrong (or invalid_state for well-formed ids of nothing), and the socket stays connected.
 */
import { CLIENT_ACTIONS } from '@pressroom/protocol';
import { Api } from './harness/api';
import { castFor, closeCast, describePayloadCases, isStudioAction, type Cast } from './harness/bad-input';
import { startServer, type TestServer } from './harness/server';

jest.setTimeout(120_000);

describe('bad input', () => {
  let server: TestServer;
  let moderator: Api;

  beforeAll(async () => {
    server = await startServer();
    moderator = await Api.asModerator(server.url);
  });
  afterAll(() => server?.close());

  describe('realtime payloads, for every action as a role allowed to send it', () => {
    let cast: Cast;
    beforeAll(async () => (cast = await castFor(server, moderator, 'payloads')));
    afterAll(() => closeCast(cast));

    describePayloadCases(CLIENT_ACTIONS.filter(isStudioAction), () => cast);
  });
});
