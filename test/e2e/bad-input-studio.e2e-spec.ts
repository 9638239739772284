/**
 * Bad input on the studio's signalling actions: malformed, oversized and wrong-typed payloads of every
 * studio action, sent by a speaker who has not joined the studio. Every refusal is a clear bad_request
 * naming what is wrong (or invalid_state for well-formed ids of nothing), and the socket stays connected.
 */
import { CLIENT_ACTIONS } from '@pressroom/protocol';
import { describePayloadCases, isStudioAction, suiteStage, castForBlock } from './harness/bad-input';

describe('bad input', () => {
  const suite = suiteStage();

  describe('realtime payloads, for every action as a role allowed to send it', () => {
    const scene = castForBlock(suite, 'payloads');

    describePayloadCases(CLIENT_ACTIONS.filter(isStudioAction), () => scene.cast);
  });
});
