import { Api } from './api';
import { startServer, type TestServer } from './server';

/** A suite's server (with these settings) and a signed-in moderator, there from `beforeAll` to `afterAll`. */
export interface Stage {
  readonly server: TestServer;
  readonly moderator: Api;
}

/** Starts the suite's server before its tests and closes it after them; call it in the suite's `describe`. */
export function serverStage(environment?: Record<string, string>): Stage {
  const stage = {} as { server: TestServer; moderator: Api };
  beforeAll(async () => {
    stage.server = await startServer(environment);
    stage.moderator = await Api.asModerator(stage.server.url);
  });
  afterAll(() => stage.server?.close());
  return stage;
}
