import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { ClusterStore, NODE_TTL_MS } from '../../apps/api/src/cluster/cluster-store';
import { describeWhenSet } from './harness/needs';

/** Set by `.ci/run` when a Redis server is reachable. */
const redis = describeWhenSet('PRESSROOM_TEST_REDIS_URL', 'Redis');

/**
 * Who holds an event's media when several API nodes share Redis: the first to claim it, as long as its
 * heartbeat lives (the lease); then the next node that claims it.
 */
redis.describe('cluster store: node registry and event holders in Redis', () => {
  let url: string;
  let store: ClusterStore;
  let raw: Redis;

  beforeAll(async () => {
    // A Redis database of this suite's own (the registry's keys are fixed names).
    const parsed = new URL(redis.url!);
    parsed.pathname = `/${2 + Math.floor(Math.random() * 12)}`;
    url = parsed.toString();
    store = new ClusterStore(url);
    raw = new Redis(url);
  });
  afterAll(async () => {
    await store?.close();
    await raw?.quit();
  });

  it('the first node to claim an event holds it while its heartbeat lives; then another node may take it', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const eventId = randomUUID();
    await store.heartbeat(a, 'http://127.0.0.1:1');
    await store.heartbeat(b, 'http://127.0.0.1:2');

    // Nobody holds it: a lookup does not claim, a claim does; two claims at once: one winner for both.
    expect(await store.ownerOf(eventId, b, false)).toBeNull();
    const claims = await Promise.all([store.ownerOf(eventId, a, true), store.ownerOf(eventId, b, true)]);
    expect(new Set(claims).size).toBe(1);
    const holder = claims[0]!;
    const other = holder === a ? b : a;
    expect(await store.ownerOf(eventId, other, true)).toBe(holder);
    expect(await store.urlOf(holder)).toBe(holder === a ? 'http://127.0.0.1:1' : 'http://127.0.0.1:2');
    expect(await store.orphans()).not.toContainEqual([eventId, holder]);

    // The holder stops (its heartbeat key lapses, as after NODE_TTL_MS): the event is an orphan, the other takes it.
    await raw.pexpire(`pressroom:cluster:node:${holder}`, 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await store.orphans()).toContainEqual([eventId, holder]);
    expect((await store.nodes()).find((node) => node.id === holder)?.alive).toBe(false);
    expect((await store.nodes()).map((node) => node.id)).not.toContain(holder);
    expect(await store.ownerOf(eventId, other, true)).toBe(other);
    // Letting go of the dead node's claim does not undo the new holder's.
    await store.release(eventId, holder);
    expect(await store.ownerOf(eventId, holder, false)).toBe(other);
    await store.forget(eventId);
    expect(await store.ownerOf(eventId, other, false)).toBeNull();
    await store.leave(a);
    await store.leave(b);
  });

  it('a heartbeat lasts NODE_TTL_MS unless renewed', async () => {
    const node = randomUUID();
    await store.heartbeat(node, 'http://127.0.0.1:3');
    const ttl = await raw.pttl(`pressroom:cluster:node:${node}`);
    expect(ttl).toBeGreaterThan(NODE_TTL_MS - 1_000);
    expect(ttl).toBeLessThanOrEqual(NODE_TTL_MS);
    await store.leave(node);
    expect(await store.urlOf(node)).toBeNull();
  });
});
