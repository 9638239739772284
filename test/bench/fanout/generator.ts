/** A load-generator child: joins and connects its share of the audience, and timestamps every `question:approved`. */
import { LIVE_NAMESPACE, type JoinResponse, type QuestionView } from '@pressroom/protocol';
import { io, type Socket } from 'socket.io-client';

export interface GeneratorConfig {
  url: string;
  slug: string;
  sockets: number;
  /** The local address the sockets connect from (127.0.0.x): each generator has its own ephemeral ports. */
  localAddress?: string;
  /** Approvals to expect per socket: the generator reports `complete` once all of them arrived. */
  questions: number;
}

export type GeneratorMessage =
  | {
      type: 'ready';
      connected: number;
      failures: Record<string, number>;
      /** Connections that failed and were tried again (a timeout on a busy machine). */
      retries: number;
      joinMs: number;
      connectMs: number;
    }
  | { type: 'complete' }
  /** Date.now() of each arrival, per question id; `dropped`: sockets that disconnected after `ready`. */
  | { type: 'arrivals'; arrivals: Record<string, number[]>; dropped: number };

export type OrchestratorMessage = { type: 'collect' };

const JOIN_CONCURRENCY = 50;
const CONNECT_CONCURRENCY = 100;
const CONNECT_ATTEMPTS = 3;

/** Runs `work(0 … count-1)` with at most `concurrency` at a time. */
async function pool<T>(
  count: number,
  concurrency: number,
  work: (i: number) => Promise<T>,
): Promise<PromiseSettledResult<T>[]> {
  const results: PromiseSettledResult<T>[] = new Array(count);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      results[i] = await work(i).then(
        (value) => ({ status: 'fulfilled', value }) as const,
        (reason: unknown) => ({ status: 'rejected', reason }) as const,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

async function joinAsViewer(config: GeneratorConfig): Promise<string> {
  const response = await fetch(`${config.url}/api/events/${config.slug}/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  if (response.status !== 200) throw new Error(`join: HTTP ${response.status}`);
  return ((await response.json()) as JoinResponse).accessToken;
}

/** Resolves once the server sent `state`, i.e. the socket is in its rooms. */
export function connect(url: string, token: string, localAddress?: string): Promise<Socket> {
  const socket = io(url + LIVE_NAMESPACE, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    ...(localAddress ? { localAddress } : {}),
  });
  return new Promise((resolve, reject) => {
    socket.once('state', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(new Error(`connect: ${error.message}`));
    });
    socket.once('disconnect', (reason) => reject(new Error(`disconnected before state: ${reason}`)));
  });
}

function countFailures(results: PromiseSettledResult<unknown>[], into: Record<string, number>): void {
  for (const result of results) {
    if (result.status === 'fulfilled') continue;
    const reason = result.reason instanceof Error ? result.reason.message : String(result.reason);
    into[reason] = (into[reason] ?? 0) + 1;
  }
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2]!) as GeneratorConfig;
  const send = (message: GeneratorMessage) => process.send!(message);
  // The orchestrator closes the channel when it is done with us (or dies): exiting closes every socket.
  process.on('disconnect', () => process.exit(0));

  const failures: Record<string, number> = {};
  const joinStart = Date.now();
  const joins = await pool(config.sockets, JOIN_CONCURRENCY, () => joinAsViewer(config));
  countFailures(joins, failures);
  const tokens = joins.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));

  const connectStart = Date.now();
  // A busy machine times some handshakes out: like a real audience's client, try again (a new token is
  // not needed). What still fails after CONNECT_ATTEMPTS counts as a failure.
  let retries = 0;
  const connects = await pool(tokens.length, CONNECT_CONCURRENCY, async (i) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await connect(config.url, tokens[i]!, config.localAddress);
      } catch (error) {
        if (attempt === CONNECT_ATTEMPTS) throw error;
        retries++;
        await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
      }
    }
  });
  countFailures(connects, failures);
  const sockets = connects.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));

  const arrivals: Record<string, number[]> = {};
  let received = 0;
  let dropped = 0;
  for (const socket of sockets) {
    socket.on('question:approved', (question: QuestionView) => {
      (arrivals[question.id] ??= []).push(Date.now());
      if (++received === sockets.length * config.questions) send({ type: 'complete' });
    });
    socket.on('disconnect', () => dropped++);
  }
  process.on('message', (message: OrchestratorMessage) => {
    if (message.type === 'collect') send({ type: 'arrivals', arrivals, dropped });
  });
  send({
    type: 'ready',
    connected: sockets.length,
    failures,
    retries,
    joinMs: connectStart - joinStart,
    connectMs: Date.now() - connectStart,
  });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error('generator failed:', error);
    process.exit(1);
  });
}
