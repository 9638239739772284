/**
 * A seeded fuzz of a few thousand junk messages (see `harness/junk.ts`) from every role: every one is
 * refused with a fitting code and a clear message, no socket is dropped, nothing is stored, and a normal
 * flow works afterwards.
 */
import {
  ACTION_ROLES,
  CLIENT_ACTIONS,
  type ActionError,
  type ClientActionName,
  type ErrorCode,
  type Role,
  type Transcript,
} from '@pressroom/protocol';
import { Api } from './harness/api';
import {
  ROLES,
  isStudioAction,
  SOCKET_LIMIT_BYTES,
  sleep,
  emitAck,
  actionErrors,
  castFor,
  closeCast,
  type Reply,
  type Cast,
  suiteStage,
} from './harness/bad-input';
import { Rng, junkMessage, describeArgs } from './harness/junk';
import { LiveClient } from './harness/live-client';

describe('bad input', () => {
  const suite = suiteStage();

  describe('seeded fuzz: a few thousand junk messages from every role', () => {
    const SEED = 0x5eed_2024;
    const MESSAGES = 3000;
    const SOCKETS_PER_ROLE = 2;
    const CHUNK = 100;
    const EXPECTED_CODES: ErrorCode[] = ['bad_request', 'forbidden', 'unknown_event'];

    interface Sent {
      socket: number;
      role: Role;
      action: string;
      kind: string;
      sample: string;
      acked: boolean;
      reply?: Reply;
      failure?: string;
    }

    let cast: Cast;
    let sockets: Array<{ role: Role; client: LiveClient; from: number; disconnects: string[] }> = [];
    const sent: Sent[] = [];

    beforeAll(async () => {
      cast = await castFor(suite.server, suite.moderator, 'fuzz');
      for (const role of ROLES) {
        for (let i = 0; i < SOCKETS_PER_ROLE; i++) {
          const client = await LiveClient.connect(suite.server.url, cast.tokens[role]);
          const entry = { role, client, from: client.received.length, disconnects: [] as string[] };
          client.socket.on('disconnect', (reason: string) => entry.disconnects.push(reason));
          sockets.push(entry);
        }
      }
    });
    afterAll(() => {
      for (const { client } of sockets) client.close();
      closeCast(cast);
      sockets = [];
    });

    it(`sends ${MESSAGES} generated bad messages (seed ${SEED.toString(16)})`, async () => {
      const rng = new Rng(SEED);
      const plan = Array.from({ length: MESSAGES }, (_, i) => {
        const socket = i % sockets.length;
        return { socket, ...junkMessage(rng), acked: rng.chance(0.8) };
      });
      for (const message of plan) {
        const bytes =
          message.args.length === 0 ? 0 : Buffer.byteLength(JSON.stringify([message.action, ...message.args]));
        expect(bytes).toBeLessThan(SOCKET_LIMIT_BYTES - 1024);
      }
      // Each socket sends its share in chunks, at most CHUNK messages per 250 ms: well under the flood guard.
      await Promise.all(
        sockets.map(async ({ role, client }, index) => {
          const mine = plan.filter((m) => m.socket === index);
          for (let start = 0; start < mine.length; start += CHUNK) {
            const began = Date.now();
            await Promise.all(
              mine.slice(start, start + CHUNK).map(async (m) => {
                const record: Sent = {
                  socket: index,
                  role,
                  action: m.action,
                  kind: m.kind,
                  sample: describeArgs(m.args),
                  acked: m.acked,
                };
                sent.push(record);
                if (!m.acked) {
                  client.socket.emit(m.action, ...m.args);
                  return;
                }
                try {
                  record.reply = (await client.socket.timeout(10_000).emitWithAck(m.action, ...m.args)) as Reply;
                } catch (error) {
                  record.failure = error instanceof Error ? error.message : String(error);
                }
              }),
            );
            await sleep(Math.max(0, 250 - (Date.now() - began)));
          }
        }),
      );
      expect(sent).toHaveLength(MESSAGES);
      // The mix really covers what it should.
      const actions = new Set(sent.map((s) => s.action));
      for (const action of CLIENT_ACTIONS) expect(actions).toContain(action);
      expect(sent.filter((s) => !(CLIENT_ACTIONS as readonly string[]).includes(s.action)).length).toBeGreaterThan(
        MESSAGES / 5,
      );
      expect(new Set(sent.map((s) => s.kind)).size).toBeGreaterThanOrEqual(7);
      expect(new Set(sent.map((s) => s.role)).size).toBe(ROLES.length);
    });

    it('every acknowledged message got ok:false with a known code and a clear message', () => {
      const acked = sent.filter((s) => s.acked);
      const timedOut = acked.filter((s) => s.failure).map((s) => `${s.action} ${s.kind}: ${s.failure} ${s.sample}`);
      expect(timedOut).toEqual([]);
      const summary = (items: Sent[]) => {
        const groups = new Map<string, { count: number; sample: string }>();
        for (const s of items) {
          const key = `${s.role} ${s.action} → ${s.reply?.ok ? 'ok:true' : (s.reply as { error: ActionError }).error.code}`;
          const group = groups.get(key) ?? { count: 0, sample: `[${s.kind}] ${s.sample}` };
          group.count++;
          groups.set(key, group);
        }
        return [...groups].map(([key, { count, sample }]) => `${key} ×${count}, e.g. ${sample.slice(0, 120)}`);
      };
      const refused = acked.filter((s) => s.reply && !s.reply.ok) as Array<
        Sent & { reply: { ok: false; error: ActionError } }
      >;
      expect({
        // ok:true for a payload that was built to be invalid
        accepted: summary(acked.filter((s) => s.reply?.ok)),
        // a code outside what bad input may cause (internal, not_found, rate_limited…) or an empty message
        unexpected: summary(
          refused.filter((s) => !EXPECTED_CODES.includes(s.reply.error.code) || !s.reply.error.message.trim()),
        ),
        // the code does not fit the case: unknown names → unknown_event, wrong roles → forbidden, the rest → bad_request
        misfiled: summary(
          refused.filter((s) => {
            const { code } = s.reply.error;
            if (!(CLIENT_ACTIONS as readonly string[]).includes(s.action)) return code !== 'unknown_event';
            if (!ACTION_ROLES[s.action as ClientActionName].includes(s.role)) return code !== 'forbidden';
            // A journalist may use the studio only while on stage, which none of them is here.
            if (s.role === 'journalist' && isStudioAction(s.action as ClientActionName)) return code !== 'forbidden';
            return code !== 'bad_request';
          }),
        ),
      }).toEqual({ accepted: [], unexpected: [], misfiled: [] });
      expect(refused.length).toBeGreaterThan(acked.length * 0.9);
    });

    it('every message sent without an acknowledgement got an action:error event', async () => {
      const missing: string[] = [];
      for (const [index, { client }] of sockets.entries()) {
        const expected = new Map<string, number>();
        for (const s of sent.filter((x) => x.socket === index && !x.acked))
          expected.set(s.action, (expected.get(s.action) ?? 0) + 1);
        for (const [action, count] of expected) {
          const errors = await actionErrors(client, action, count, 2000);
          if (errors.length !== count)
            missing.push(`socket ${index} (${sockets[index]!.role}) ${action}: ${errors.length}/${count}`);
          for (const error of errors)
            if (!EXPECTED_CODES.includes(error.code)) missing.push(`${action}: unexpected ${JSON.stringify(error)}`);
        }
      }
      expect(missing).toEqual([]);
    });

    it('no socket was disconnected and none received anything but errors and counters', () => {
      for (const { role, client, from, disconnects } of sockets) {
        expect({ role, disconnects, connected: client.socket.connected }).toEqual({
          role,
          disconnects: [],
          connected: true,
        });
        const names = new Set(client.received.slice(from).map((r) => r.name));
        for (const name of ['action:error', 'counters']) names.delete(name);
        expect({ role, names: [...names] }).toEqual({ role, names: [] });
      }
    });

    it('the server still answers GET /health', async () => {
      const health = await new Api(suite.server.url).request<{ status: string }>('GET', '/health');
      expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
    });

    it('a normal flow still works end to end: ask → pending → approve → the viewer sees it', async () => {
      const [journalist, mod, viewer] = (['journalist', 'moderator', 'viewer'] as const).map(
        (role) => sockets.find((s) => s.role === role)!.client,
      );
      const pending = mod!.next('question:pending', (q) => q.text === 'After the storm, when is the vote?');
      const asked = await emitAck(journalist!, 'question:ask', { text: '  After the storm, when is the vote?  ' });
      expect(asked.ok).toBe(true);
      const question = await pending;
      expect(question).toMatchObject({ status: 'pending', name: 'Jo Journalist', outlet: 'Daily Planet' });
      const approved = viewer!.next('question:approved', (q) => q.id === question.id);
      expect(await emitAck(mod!, 'question:approve', { questionId: question.id })).toEqual({ ok: true });
      expect(await approved).toMatchObject({ id: question.id, status: 'approved', position: 1 });
    });

    it('nothing was persisted by the junk: fresh states and the transcript hold only the legit question', async () => {
      const fresh = await LiveClient.connect(suite.server.url, cast.tokens.moderator);
      try {
        expect(fresh.state.questions).toEqual([
          expect.objectContaining({ text: 'After the storm, when is the vote?', status: 'approved' }),
        ]);
        expect(fresh.state.chat).toEqual([]);
        expect(fresh.state.hands).toEqual([]);
        expect(fresh.state.event.title).toBe('Bad input fuzz');
      } finally {
        fresh.close();
      }
      const journalist = await LiveClient.connect(suite.server.url, cast.tokens.journalist);
      try {
        expect(journalist.state.me).toMatchObject({ role: 'journalist', name: 'Jo Journalist', muted: false });
        expect(journalist.state.hand).toBeNull();
        expect(journalist.state.votedQuestionIds).toEqual([]);
      } finally {
        journalist.close();
      }
      const transcript = await suite.moderator.expectOk<Transcript>('GET', `/api/events/${cast.event.slug}/transcript`);
      expect(transcript.chat).toEqual([]);
      expect(transcript.hands).toEqual([]);
      expect(transcript.questions).toHaveLength(1);
      expect(transcript.moderation.map((entry) => entry.action)).toEqual(['question:approve']);
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    });
  });
});
