import type { types } from 'mediasoup';
import { WorkerPool } from '../../apps/api/src/media/worker-pool';
import { startServer, type TestServer } from './harness/server';

const OPUS: types.RtpCodecCapability = { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 };

describe('media: the mediasoup worker built by set-up', () => {
  let server: TestServer;

  beforeAll(async () => (server = await startServer({ MEDIASOUP_WORKERS: '2' })));
  afterAll(() => server.close());

  it('runs a worker pool that routes media', async () => {
    const pool = server.app.get(WorkerPool);
    expect(pool.size).toBe(2);
    const router = await pool.next().createRouter({ mediaCodecs: [OPUS] });
    expect(router.rtpCapabilities.codecs?.map((c) => c.mimeType)).toContain('audio/opus');
    const transport = await router.createWebRtcTransport({ listenIps: [{ ip: '127.0.0.1' }], enableUdp: true });
    expect(transport.iceCandidates[0]).toMatchObject({ ip: '127.0.0.1', protocol: 'udp' });
    router.close();
  });

  it('replaces a worker that dies, and the replacement routes media', async () => {
    const pool = server.app.get(WorkerPool);
    const victim = pool.next();
    const slot = pool.list().indexOf(victim);
    process.kill(victim.pid, 'SIGKILL');
    let replacement = pool.list()[slot]!;
    for (const deadline = Date.now() + 20_000; replacement === victim && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      replacement = pool.list()[slot]!;
    }
    expect(replacement.pid).not.toBe(victim.pid);
    expect(victim.died).toBe(true);
    expect(replacement.died).toBe(false);
    const router = await replacement.createRouter({ mediaCodecs: [OPUS] });
    expect(router.closed).toBe(false);
    router.close();
  });
});
