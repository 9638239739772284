import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Reply, Router } from 'zeromq';
import { CompositeCommandError, CompositeControl, parseReply } from './composite-control';

describe('parseReply', () => {
  it("reads FFmpeg's code and message", () => {
    expect(parseReply('overlay@slot0 x 10', '0 Success')).toEqual({
      command: 'overlay@slot0 x 10',
      code: 0,
      message: 'Success',
    });
    expect(parseReply('nope x 1', '38 Function not implemented')).toMatchObject({ code: 38 });
    expect(parseReply('x', 'garbage').code).toBeNaN();
  });
});

/** A stand-in for FFmpeg's zmq filter: a REP socket answering each command as FFmpeg would. */
describe('CompositeControl (a real ZeroMQ REP socket as FFmpeg)', () => {
  let dir: string;
  let endpoint: string;
  let rep: Reply;
  const received: string[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'control-'));
    endpoint = `ipc://${join(dir, 'control.ipc')}`;
    rep = new Reply();
    await rep.bind(endpoint);
    received.length = 0;
    void (async () => {
      for await (const [message] of rep) {
        const text = message!.toString();
        received.push(text);
        await rep.send(text.startsWith('bad') ? '22 Invalid argument' : '0 Success');
      }
    })().catch(() => undefined);
  });

  afterEach(async () => {
    rep.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('sends a batch in order and returns the replies in order', async () => {
    const control = new CompositeControl(endpoint);
    const replies = await control.send(['overlay@slot0 enable 1', 'scale@slot0 w 1280']);
    expect(replies.map((reply) => reply.code)).toEqual([0, 0]);
    expect(received).toEqual(['overlay@slot0 enable 1', 'scale@slot0 w 1280']);
    control.close();
  });

  it('runs batches one after the other, and reports the commands FFmpeg refused', async () => {
    const control = new CompositeControl(endpoint);
    const first = control.send(['a 1', 'bad 2']);
    const second = control.send(['c 3']);
    await expect(first).rejects.toThrow(CompositeCommandError);
    await expect(first).rejects.toThrow(/"bad 2" \(Invalid argument\)/);
    await expect(second).resolves.toHaveLength(1);
    expect(received).toEqual(['a 1', 'bad 2', 'c 3']);
    control.close();
    await expect(control.send(['d 4'])).rejects.toThrow(/closed/);
  });
});

describe('CompositeControl when FFmpeg does not answer', () => {
  it('rejects the batch after its timeout, drops the late replies and connects again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'control-'));
    const endpoint = `ipc://${join(dir, 'control.ipc')}`;
    const router = new Router();
    await router.bind(endpoint);
    let stalled: Buffer[] | undefined;
    void (async () => {
      for await (const [peer, empty, body] of router) {
        // The first command stalls (a frozen FFmpeg); its reply comes only after the next command.
        if (body!.toString() === 'slow') {
          stalled = [peer!, empty!];
          continue;
        }
        if (stalled) await router.send([...stalled, '0 late']);
        await router.send([peer!, empty!, '0 Success']);
      }
    })().catch(() => undefined);
    const control = new CompositeControl(endpoint, 300);
    try {
      await expect(control.send(['slow'])).rejects.toThrow();
      await expect(control.send(['fast'])).resolves.toEqual([{ command: 'fast', code: 0, message: 'Success' }]);
    } finally {
      control.close();
      router.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
