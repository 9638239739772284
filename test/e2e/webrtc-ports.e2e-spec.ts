import 'reflect-metadata';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import type { ActionReply } from '@pressroom/protocol';
import { validateEnvironment } from '../../apps/api/src/config/environment';
import { RTC_PORT_SEARCH, WorkerPool } from '../../apps/api/src/media/worker-pool';
import type { LiveClient } from './harness/live-client';
import { openPressConference, type PressConference } from './harness/press-conference';
import { startServer, type TestServer } from './harness/server';

type Candidate = { ip: string; port: number; protocol: string; tcpType?: string };
type CreateTransportReply = Extract<ActionReply<'studio:createTransport'>, { ok: true }>;

/** Whether nobody holds `port` on 127.0.0.1, in TCP nor in UDP. */
async function portIsFree(port: number): Promise<boolean> {
  const tcp = await new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
  const udp = await new Promise<boolean>((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
  return tcp && udp;
}

/** A first port with `count` free ports (TCP and UDP) from it, outside the workers' range (40100…49999). */
async function freePorts(count: number): Promise<number> {
  for (;;) {
    const first = 20_000 + Math.floor(Math.random() * 15_000);
    const free = await Promise.all(Array.from({ length: count }, (_, i) => portIsFree(first + i)));
    if (free.every(Boolean)) return first;
  }
}

async function transportOf(client: LiveClient, direction: 'send' | 'recv') {
  const reply = await client.send('studio:createTransport', { direction });
  if (!reply.ok) throw new Error(`createTransport: ${reply.error.code} ${reply.error.message}`);
  return (reply as CreateTransportReply).transport;
}

/** The candidates of a transport, as `protocol port` (a TCP one with its type). */
const described = (candidates: readonly unknown[]) =>
  (candidates as Candidate[]).map((c) => `${c.protocol} ${c.port}${c.tcpType ? ` ${c.tcpType}` : ''}`).sort();

/**
 * Speakers behind a firewall: every studio transport of a media worker uses that worker's one UDP and one
 * TCP port (worker i on RTC_PORT + i), so the firewall opens RTC_PORT…RTC_PORT+workers-1, UDP and TCP.
 */
describe('WebRTC ports: one UDP and one TCP port per media worker', () => {
  let firstPort: number;
  let server: TestServer;
  const conferences: PressConference[] = [];

  beforeAll(async () => {
    firstPort = await freePorts(2);
    server = await startServer({ MEDIASOUP_WORKERS: '2', RTC_PORT: String(firstPort) });
  });
  afterAll(async () => {
    for (const conference of conferences) conference.close();
    await server?.close();
  });

  async function speakerInStudio(): Promise<LiveClient> {
    const conference = await openPressConference(server);
    conferences.push(conference);
    const joined = await conference.speaker.send('studio:join', {});
    if (!joined.ok) throw new Error(`studio:join: ${joined.error.code}`);
    return conference.speaker;
  }

  it('gives every transport of a worker the same UDP port and TCP port (ICE over TCP), worker 2 the next one', async () => {
    // Rooms go round-robin over the two workers: two events' studios land on both.
    const [first, second] = [await speakerInStudio(), await speakerInStudio()];
    const transports = [
      await transportOf(first!, 'send'),
      await transportOf(first!, 'recv'),
      await transportOf(second!, 'send'),
      await transportOf(second!, 'recv'),
    ];
    const [a, b] = [firstPort, firstPort + 1];
    const byStudio = transports.map((transport) => described(transport.iceCandidates));
    // UDP is preferred: its candidate has the higher priority.
    for (const transport of transports) {
      const [udp, tcp] = ['udp', 'tcp'].map((protocol) =>
        (transport.iceCandidates as unknown as Array<Candidate & { priority: number }>).find(
          (c) => c.protocol === protocol,
        ),
      );
      expect(udp!.priority).toBeGreaterThan(tcp!.priority);
      expect(udp!.ip).toBe('127.0.0.1');
    }
    const ports = (studio: string[]) => studio.map((c) => c.split(' ')[1]).join();
    expect(byStudio[0]).toEqual(byStudio[1]);
    expect(byStudio[2]).toEqual(byStudio[3]);
    expect([byStudio[0], byStudio[2]].sort((x, y) => ports(x).localeCompare(ports(y)))).toEqual([
      [`tcp ${a} passive`, `udp ${a}`].sort(),
      [`tcp ${b} passive`, `udp ${b}`].sort(),
    ]);
    // Those ports are really taken, UDP and TCP, by the workers.
    expect(await portIsFree(a)).toBe(false);
    expect(await portIsFree(b)).toBe(false);
  });

  it('a second server on the same RTC_PORT (a second API node on this machine) takes the next free port upward', async () => {
    // The media workers as a second server starts them: RTC_PORT and RTC_PORT + 1 are the first server's.
    const environment = validateEnvironment({
      MEDIASOUP_WORKERS: '1',
      RTC_LISTEN_IP: '127.0.0.1',
      RTC_PORT: String(firstPort),
    });
    const pool = await WorkerPool.create(environment);
    try {
      const dump = (await pool.webRtcServerOf(pool.list()[0]!).dump()) as unknown as {
        udpSockets: Candidate[];
        tcpServers: Candidate[];
      };
      const [udp] = dump.udpSockets.map((s) => s.port);
      expect(dump.tcpServers.map((s) => s.port)).toEqual([udp]);
      expect(udp).toBeGreaterThanOrEqual(firstPort + 2);
      expect(udp).toBeLessThan(firstPort + RTC_PORT_SEARCH);
    } finally {
      pool.close();
    }
  });

  it('a worker that dies is replaced on the same ports, and new studios use them', async () => {
    const pool = server.app.get(WorkerPool);
    const victim = pool.list()[0]!;
    process.kill(victim.pid, 'SIGKILL');
    let replacement = pool.list()[0]!;
    for (const deadline = Date.now() + 20_000; replacement === victim && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      replacement = pool.list()[0]!;
    }
    expect(replacement.pid).not.toBe(victim.pid);
    const server0 = pool.webRtcServerOf(replacement);
    const dump = (await server0.dump()) as unknown as { udpSockets: Candidate[]; tcpServers: Candidate[] };
    expect(dump.udpSockets.map((s) => s.port)).toEqual([firstPort]);
    expect(dump.tcpServers.map((s) => s.port)).toEqual([firstPort]);
    // A studio opened now lands on one of the two workers: either way on one of the two ports.
    const transport = await transportOf(await speakerInStudio(), 'send');
    expect([
      [`tcp ${firstPort} passive`, `udp ${firstPort}`].sort(),
      [`tcp ${firstPort + 1} passive`, `udp ${firstPort + 1}`].sort(),
    ]).toContainEqual(described(transport.iceCandidates));
  });
});
