import type { EventDetails, HttpErrorBody, RestreamDestinationView, RestreamStatus } from '@pressroom/protocol';
import Database from 'better-sqlite3';
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Api } from './harness/api';
import { findMarkers } from './harness/disk-scan';
import { LiveClient } from './harness/live-client';
import { mediaPlaylistOf, segmentNumber } from './harness/hls';
import { waitFor } from './harness/media';
import { startRtmpServer, type RtmpServer } from './harness/nginx';
import { ADMIN, freePort } from './harness/server';

const run = promisify(execFile);

/** A stream key no other text of the test has: any trace of it in a log or an answer is a leak. */
const KEY = `live-key-${Math.random().toString(36).slice(2)}-SECRET`;
/** The keys of the rtmps:// destinations: one behind a certificate the server trusts, one behind another. */
const TLS_KEY = `${KEY}-TLS`;
const UNTRUSTED_KEY = `${KEY}-UNTRUSTED`;

/** A self-signed certificate for 127.0.0.1, in PEM, made by openssl in `dir`. */
function certificate(dir: string, name: string): { cert: string; key: string; certFile: string } {
  const certFile = join(dir, `${name}.pem`);
  const keyFile = join(dir, `${name}.key`);
  // prettier-ignore
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile,
  ], { stdio: 'ignore' });
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), certFile };
}

/** An RTMPS ingest: TLS on 127.0.0.1 in front of the RTMP server's port (what a platform's TLS front does). */
async function startTlsFront(
  rtmpPort: number,
  tls: { cert: string; key: string },
): Promise<{ port: number; server: TlsServer }> {
  const server = createTlsServer(tls, (socket) => {
    const upstream = tcpConnect(rtmpPort, '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    const close = () => {
      socket.destroy();
      upstream.destroy();
    };
    socket.once('error', close).once('close', close);
    upstream.once('error', close).once('close', close);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port, server };
}

interface Served {
  url: string;
  dataDir: string;
  child: ChildProcess;
  /** Everything the server wrote (JSON log lines at debug level). */
  output: () => string;
  stop(): Promise<void>;
}

/**
 * The real entry point, as `npm run serve` runs it, logging everything at debug level: the test reads
 * those logs (request logs, the push's failures) for the stream key.
 */
async function serve(caFile: string): Promise<Served> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pressroom-restream-'));
  const port = await freePort();
  const minPort = 51_000 + 2 * Math.floor(Math.random() * 3_000);
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'apps/api/src/main.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${join(dataDir, 'pressroom.sqlite')}`,
      MEDIA_DIR: join(dataDir, 'media'),
      MEDIASOUP_WORKERS: '1',
      RTC_LISTEN_IP: '127.0.0.1',
      PRESSROOM_ADMIN_EMAIL: ADMIN.email,
      PRESSROOM_ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'json',
      BROADCAST_MIN_PORT: String(minPort),
      BROADCAST_MAX_PORT: String(minPort + 39),
      PURGE_INTERVAL_SECONDS: '1',
      RESTREAM_CA_FILE: caFile,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  while (
    !(await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    dataDir,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    },
  };
}

/** The FFmpeg processes of the server whose arguments hold `text`. */
function serverFfmpegsWith(child: ChildProcess, text: string): number[] {
  let pids: number[];
  try {
    pids = execFileSync('pgrep', ['-P', String(child.pid), 'ffmpeg'], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
  return pids.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
    } catch {
      return false;
    }
  });
}

/** The segments the event's public playlist lists now (its top rendition's, through the multivariant). */
async function listedSegments(url: string, slug: string): Promise<string[]> {
  return (await mediaPlaylistOf(`${url}/hls/${slug}`)).segments.map((segment) => segment.uri);
}

/** How many segments `now` lists that `before` did not. */
const newSegments = (before: string[], now: string[]) => now.filter((uri) => !before.includes(uri)).length;

describe('restream to an RTMP server (nginx-rtmp on 127.0.0.1, FFmpeg, the real server)', () => {
  let served: Served;
  let api: Api;
  let rtmp: RtmpServer | undefined;
  let recordDir: string;
  let event: EventDetails;
  let moderator: LiveClient;
  let destination: RestreamDestinationView;
  let secure: RestreamDestinationView;
  let untrusted: RestreamDestinationView;
  let certDir: string;
  const tlsFronts: TlsServer[] = [];

  /** The next status of the test's destination that matches, as the moderator's console gets it. */
  const statusOf = async (
    match: (status: RestreamStatus) => boolean,
    timeoutMs: number,
    of: () => RestreamDestinationView = () => destination,
  ) =>
    (await moderator.next('restream:status', (p) => p.destinationId === of().id && match(p.status), { timeoutMs }))
      .status;

  let tlsPorts: { trusted: number; untrusted: number };

  beforeAll(async () => {
    certDir = mkdtempSync(join(tmpdir(), 'pressroom-restream-tls-'));
    const trusted = certificate(certDir, 'trusted');
    served = await serve(trusted.certFile);
    api = await Api.asModerator(served.url);
    rtmp = await startRtmpServer();
    recordDir = rtmp.recordDir;
    const fronts = [
      await startTlsFront(rtmp.port, trusted),
      await startTlsFront(rtmp.port, certificate(certDir, 'other')),
    ];
    tlsFronts.push(...fronts.map((front) => front.server));
    tlsPorts = { trusted: fronts[0]!.port, untrusted: fronts[1]!.port };
    event = await api.createEvent({ title: 'Restreamed briefing', retentionHours: 0 });
    moderator = await LiveClient.connect(served.url, (await api.join(event.slug)).accessToken);
  }, 120_000);

  afterAll(async () => {
    moderator?.close();
    for (const front of tlsFronts) front.close();
    await rtmp?.kill();
    if (certDir) rmSync(certDir, { recursive: true, force: true });
    await served?.stop();
    if (recordDir) rmSync(recordDir, { recursive: true, force: true });
  }, 30_000);

  it('refuses bad destinations with a clear 4xx that never repeats the URL or the key', async () => {
    const path = `/api/events/${event.slug}/restream`;
    const good = { name: 'YouTube', url: 'rtmp://a.rtmp.youtube.com/live2', streamKey: KEY };
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...good, url: 'https://a.rtmp.youtube.com/live2' }, /url must start with rtmp:\/\/ or rtmps:\/\//],
      [{ ...good, url: 'ftp://host/app' }, /url must start with rtmp:\/\/ or rtmps:\/\//],
      [{ ...good, url: 'not a url' }, /url must not contain spaces/],
      [{ ...good, url: 'rtmp://' }, /url must/],
      [{ ...good, url: `rtmp://user:${KEY}@host/app` }, /url must not hold a user name or password/],
      [{ ...good, url: `rtmp://host/app?key=${KEY}` }, /url must not hold a query/],
      [{ ...good, url: `rtmp://host/${'a'.repeat(600)}` }, /url must be at most 500 characters/],
      [{ ...good, streamKey: `${KEY} x` }, /streamKey must not contain spaces/],
      [{ ...good, streamKey: '' }, /streamKey must not be empty/],
      [{ ...good, streamKey: 'k'.repeat(501) }, /streamKey must be at most 500 characters/],
      [{ ...good, name: '' }, /name must be longer than or equal to 1 characters/],
      [{ ...good, name: 'n'.repeat(81) }, /name must be shorter than or equal to 80 characters/],
      [{ ...good, streamKey: 42 }, /streamKey must be a string/],
      [{ ...good, extra: 1 }, /property extra should not exist/],
    ];
    for (const [body, message] of cases) {
      const { status, body: reply } = await api.request<HttpErrorBody>('POST', path, body);
      expect({ body, status, error: reply.error }).toEqual({ body, status: 400, error: 'bad_request' });
      expect(reply.message).toMatch(message);
      expect(JSON.stringify(reply)).not.toContain(KEY);
    }
    const anonymous = await new Api(served.url).request<HttpErrorBody>('POST', path, good);
    expect(anonymous.status).toBe(401);
    const unknown = await api.request<HttpErrorBody>('PATCH', `${path}/no-such-destination`, { name: 'x' });
    expect([unknown.status, unknown.body.message]).toEqual([404, 'Restream destination not found']);
    expect((await api.request('GET', path)).body).toEqual([]);
  });

  it('keeps the key to itself: the answers show its last 4 characters; at most 5 destinations', async () => {
    const path = `/api/events/${event.slug}/restream`;
    const added: RestreamDestinationView[] = [];
    for (let i = 0; i < 5; i++) {
      added.push(
        await api.expectOk('POST', path, {
          name: `Platform ${i}`,
          url: 'rtmps://live.example.org:443/app',
          streamKey: `${KEY}${i}`,
        }),
      );
    }
    expect(added[0]).toMatchObject({
      name: 'Platform 0',
      url: 'rtmps://live.example.org:443/app',
      streamKeyHint: '••••RET0',
    });
    expect(added[0]!.status.state).toBe('idle');
    const sixth = await api.request<HttpErrorBody>('POST', path, { name: 'Six', url: 'rtmp://h/app', streamKey: KEY });
    expect([sixth.status, sixth.body.error]).toEqual([409, 'restream_full']);
    expect(sixth.body.message).toBe('An event may have at most 5 restream destinations');

    const listed = await api.request('GET', path);
    expect(JSON.stringify(listed.body)).not.toContain(KEY);
    expect((listed.body as RestreamDestinationView[]).map((d) => d.streamKeyHint)).toEqual(
      ['0', '1', '2', '3', '4'].map((i) => `••••RET${i}`),
    );
    expect(JSON.stringify(moderator.all('restream:destinations'))).not.toContain(KEY);

    // Three become the test's ingests, with new keys: plain RTMP, RTMPS, RTMPS with a certificate not
    // trusted; the others go.
    destination = await api.expectOk('PATCH', `${path}/${added[0]!.id}`, {
      name: 'Local ingest',
      url: rtmp!.url,
      streamKey: KEY,
    });
    expect(destination).toMatchObject({ name: 'Local ingest', url: rtmp!.url, streamKeyHint: '••••CRET' });
    secure = await api.expectOk('PATCH', `${path}/${added[1]!.id}`, {
      url: `rtmps://127.0.0.1:${tlsPorts.trusted}/live`,
      streamKey: TLS_KEY,
    });
    expect(secure).toMatchObject({ name: 'Platform 1', streamKeyHint: '••••-TLS' });
    untrusted = await api.expectOk('PATCH', `${path}/${added[2]!.id}`, {
      url: `rtmps://127.0.0.1:${tlsPorts.untrusted}/live`,
      streamKey: UNTRUSTED_KEY,
    });
    for (const other of added.slice(3)) expect((await api.request('DELETE', `${path}/${other.id}`)).status).toBe(204);
    const after = await moderator.next('restream:destinations', (p) => p.destinations.length === 3, { past: true });
    expect(after.destinations.map((d) => d.id)).toEqual([destination.id, secure.id, untrusted.id]);
  });

  it('pushes H.264 + AAC while live; its status says live; destinations are locked meanwhile', async () => {
    const connecting = statusOf((s) => s.state === 'connecting', 30_000);
    const live = statusOf((s) => s.state === 'live', 60_000);
    const secureLive = statusOf(
      (s) => s.state === 'live',
      60_000,
      () => secure,
    );
    const refused = statusOf(
      (s) => s.state === 'failed',
      60_000,
      () => untrusted,
    );
    await api.expectOk('POST', `/api/events/${event.slug}/start`);
    await connecting;
    await live;
    await secureLive;
    // FFmpeg checked the certificate before sending anything: the key did not reach that ingest.
    expect((await refused).reason).toBe('Peer certificate failed verification');
    const locked = await api.request<HttpErrorBody>('DELETE', `/api/events/${event.slug}/restream/${destination.id}`);
    expect([locked.status, locked.body.error, locked.body.message]).toEqual([
      409,
      'restream_locked',
      'Restream destinations cannot change while the event is live',
    ]);

    // What nginx received, as it recorded it: over RTMP and over RTMPS.
    for (const key of [`${KEY}-`, `${TLS_KEY}-`]) {
      const recorded = await waitFor(async () => {
        const file = readdirSync(recordDir).find((name) => name.startsWith(key) && name.endsWith('.flv'));
        return file && statSync(join(recordDir, file)).size > 100_000 ? join(recordDir, file) : undefined;
      }, 30_000);
      // prettier-ignore
      const { stdout } = await run('ffprobe', [
        '-v', 'error', '-show_entries', 'stream=codec_type,codec_name', '-of', 'json', recorded,
      ]);
      const streams = (JSON.parse(stdout) as { streams: Array<{ codec_type: string; codec_name: string }> }).streams;
      expect(streams.map((s) => `${s.codec_type}:${s.codec_name}`).sort()).toEqual(['audio:aac', 'video:h264']);
    }
    expect(readdirSync(recordDir).filter((name) => name.startsWith(UNTRUSTED_KEY))).toEqual([]);
    // One FFmpeg per destination (the cmdline ends each argument with NUL).
    expect(serverFfmpegsWith(served.child, `/live/${KEY}\0`)).toHaveLength(1);
  }, 120_000);

  it('follows the broadcast through a new run (its composite replaced, a discontinuity) without a jump', async () => {
    const composites = execFileSync('pgrep', ['-P', String(served.child.pid), 'ffmpeg'], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number)
      .filter((pid) => !readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('rtmp'));
    expect(composites).toHaveLength(1);
    const statusesBefore = moderator.all('restream:status').length;
    const runBefore = (await listedSegments(served.url, event.slug)).at(-1)!.split('-')[0];
    process.kill(composites[0]!, 'SIGKILL');
    await waitFor(async () => {
      const last = (await listedSegments(served.url, event.slug)).at(-1)!;
      return last.split('-')[0] !== runBefore && segmentNumber(last) >= 4 ? true : undefined;
    }, 30_000);
    // The push read on across the discontinuity: no failure, and the ingest's stream has no gap or jump back.
    const states = moderator
      .all('restream:status')
      .slice(statusesBefore)
      .filter((p) => p.destinationId === destination.id)
      .map((p) => p.status.state);
    expect(states).toEqual([]);
    const file = readdirSync(recordDir).find((name) => name.startsWith(`${KEY}-`) && name.endsWith('.flv'))!;
    // prettier-ignore
    const { stdout } = await run('ffprobe', [
      '-v', 'error', '-select_streams', 'v', '-show_entries', 'packet=dts_time', '-of', 'csv=p=0', join(recordDir, file),
    ]);
    const times = stdout.trim().split('\n').map(Number);
    const steps = times.slice(1).map((time, i) => time - times[i]!);
    expect(Math.min(...steps)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...steps)).toBeLessThan(0.5);
  }, 60_000);

  it('shows "retrying" when the ingest dies, the HLS keeps going, and goes live again when it is back', async () => {
    const before = await listedSegments(served.url, event.slug);
    const failed = statusOf((s) => s.state === 'failed', 40_000);
    const retrying = statusOf((s) => s.state === 'retrying', 40_000);
    const port = rtmp!.port;
    await rtmp!.kill();
    rtmp = undefined;
    expect((await failed).reason).toBeTruthy();
    const status = await retrying;
    expect(status.reason).toBeTruthy();
    expect(status.reason).not.toContain(KEY);
    expect(Date.parse(status.retryAt!)).toBeGreaterThan(Date.now() - 1_000);

    // The broadcast does not notice: new segments keep coming, for 6 s of retries.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const during = await listedSegments(served.url, event.slug);
    expect(newSegments(before, during)).toBeGreaterThanOrEqual(3);
    const { body: listed } = await api.request<RestreamDestinationView[]>('GET', `/api/events/${event.slug}/restream`);
    expect(['retrying', 'connecting', 'failed']).toContain(listed[0]!.status.state);

    const liveAgain = statusOf((s) => s.state === 'live', 60_000);
    rtmp = await startRtmpServer({ port, recordDir });
    await liveAgain;
    expect(newSegments(during, await listedSegments(served.url, event.slug))).toBeGreaterThan(0);
  }, 120_000);

  it('stops at the end of the event; the purge deletes the destinations; no log line holds the key', async () => {
    const idle = statusOf((s) => s.state === 'idle', 40_000);
    await api.expectOk('POST', `/api/events/${event.slug}/end`);
    await idle;
    await waitFor(async () => (serverFfmpegsWith(served.child, KEY).length === 0 ? true : undefined), 10_000);
    // Every push said so (the list itself may be purged already: retention 0).
    for (const other of [secure, untrusted]) {
      await moderator.next('restream:status', (p) => p.destinationId === other.id && p.status.state === 'idle', {
        past: true,
        timeoutMs: 15_000,
      });
    }

    // retentionHours 0: purged at the next pass (every second here).
    await waitFor(async () => {
      const { status } = await api.request('GET', `/api/events/${event.slug}/restream`);
      return status === 410 ? true : undefined;
    }, 30_000);
    const db = new Database(join(served.dataDir, 'pressroom.sqlite'), { readonly: true });
    try {
      const rows = db.prepare('SELECT COUNT(*) AS n FROM restream_destination WHERE eventId = ?').get(event.id) as {
        n: number;
      };
      expect(rows.n).toBe(0);
    } finally {
      db.close();
    }
    // Nor do the database's files (the purge erases deleted rows from them).
    await waitFor(async () => (findMarkers([served.dataDir], [KEY]).length === 0 ? true : undefined), 15_000);

    const output = served.output();
    expect(output).toMatch(/restream \\"Local ingest\\" failed: /);
    expect(output).not.toContain(KEY);
    // Not even a part of it (the key without its last characters).
    expect(output).not.toContain(KEY.slice(0, -4));
  }, 90_000);
});
