import { Redis } from 'ioredis';

/** How often a node says it is alive, and how long it is believed without a word: its lease on its events. */
export const HEARTBEAT_MS = 2_000;
export const NODE_TTL_MS = 6_000;

const PREFIX = 'pressroom:cluster:';
const NODE = `${PREFIX}node:`;
const NODES = `${PREFIX}nodes`;
const OWNERS = `${PREFIX}owners`;
export const CHANGES_CHANNEL = `${PREFIX}changes`;

/**
 * The holder of an event, if it is alive; with `claim`, this node takes the event when nobody alive holds
 * it. Atomic: of two nodes claiming at once, one wins and the other is told who.
 */
const CLAIM = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current and (current == ARGV[2] or redis.call('EXISTS', ARGV[3] .. current) == 1) then return current end
if ARGV[4] ~= '1' then return false end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return ARGV[2]
`;

/** Lets go of an event a dead node held, unless another node took it meanwhile. */
const RELEASE = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end
return 0
`;

type WithClaim = Redis & {
  claimEvent(owners: string, eventId: string, me: string, nodePrefix: string, claim: '0' | '1'): Promise<string | null>;
  releaseEvent(owners: string, eventId: string, node: string): Promise<number>;
};

/**
 * What the API nodes share in Redis: the registry (`node:<id>` = its NODE_URL, expiring after NODE_TTL_MS
 * unless renewed; `nodes` lists them), the holders of events (`owners`: event id → node id; a holder counts
 * while its `node:` key lives), and a channel for changes the holder of an event must apply.
 */
export class ClusterStore {
  readonly #redis: WithClaim;

  constructor(url: string) {
    this.#redis = new Redis(url, { maxRetriesPerRequest: 3 }) as WithClaim;
    this.#redis.defineCommand('claimEvent', { numberOfKeys: 1, lua: CLAIM });
    this.#redis.defineCommand('releaseEvent', { numberOfKeys: 1, lua: RELEASE });
  }

  /** A second connection for the channel (a subscribed connection runs no other command). */
  subscriber(): Redis {
    return this.#redis.duplicate();
  }

  async heartbeat(nodeId: string, url: string): Promise<void> {
    await this.#redis
      .multi()
      .set(NODE + nodeId, url, 'PX', NODE_TTL_MS)
      .hset(NODES, nodeId, url)
      .exec();
  }

  async leave(nodeId: string): Promise<void> {
    await this.#redis
      .multi()
      .del(NODE + nodeId)
      .hdel(NODES, nodeId)
      .exec();
  }

  /** The node's NODE_URL while it is alive. */
  urlOf(nodeId: string): Promise<string | null> {
    return this.#redis.get(NODE + nodeId);
  }

  /** The nodes listed, each with whether it is alive; the dead ones are taken off the list. */
  async nodes(): Promise<{ id: string; url: string; alive: boolean }[]> {
    const listed = Object.entries(await this.#redis.hgetall(NODES));
    const alive = await Promise.all(listed.map(([id]) => this.#redis.exists(NODE + id)));
    const dead = listed.filter((_, i) => alive[i] === 0).map(([id]) => id);
    if (dead.length > 0) await this.#redis.hdel(NODES, ...dead);
    return listed.map(([id, url], i) => ({ id, url, alive: alive[i] === 1 }));
  }

  ownerOf(eventId: string, me: string, claim: boolean): Promise<string | null> {
    return this.#redis.claimEvent(OWNERS, eventId, me, NODE, claim ? '1' : '0');
  }

  /** Events held by nodes that are no longer alive, with that node. */
  async orphans(): Promise<[eventId: string, node: string][]> {
    const owners = Object.entries(await this.#redis.hgetall(OWNERS));
    const holders = [...new Set(owners.map(([, node]) => node))];
    const alive = new Set(
      (await Promise.all(holders.map(async (node) => ((await this.#redis.exists(NODE + node)) ? node : null)))).filter(
        Boolean,
      ),
    );
    return owners.filter(([, node]) => !alive.has(node));
  }

  /**
   * Of `events` (those `me` held), which another live node holds now, and which nobody holds any more (let go:
   * not live, or forgotten).
   */
  async heldElsewhere(me: string, events: Iterable<string>): Promise<{ elsewhere: string[]; nobody: string[] }> {
    const mine = [...events];
    if (mine.length === 0) return { elsewhere: [], nobody: [] };
    const holders = await this.#redis.hmget(OWNERS, ...mine);
    const held = mine.map((eventId, i) => ({ eventId, holder: holders[i] }));
    const others = held.filter(({ holder }) => holder && holder !== me);
    const alive = await Promise.all(others.map(({ holder }) => this.#redis.exists(NODE + holder)));
    return {
      elsewhere: others.filter((_, i) => alive[i] === 1).map(({ eventId }) => eventId),
      nobody: held.filter(({ holder }) => !holder).map(({ eventId }) => eventId),
    };
  }

  async release(eventId: string, deadNode: string): Promise<void> {
    await this.#redis.releaseEvent(OWNERS, eventId, deadNode);
  }

  async forget(eventId: string): Promise<void> {
    await this.#redis.hdel(OWNERS, eventId);
  }

  async publish(message: ClusterChange): Promise<void> {
    await this.#redis.publish(CHANGES_CHANNEL, JSON.stringify(message));
  }

  async close(): Promise<void> {
    await this.#redis.quit().catch(() => undefined);
  }
}

/** A change made on one node that the node holding the event applies to its media. */
export type ClusterChange =
  | { kind: 'status'; from: string; eventId: string }
  | { kind: 'details'; from: string; eventId: string }
  | { kind: 'onair'; from: string; eventId: string; question: unknown }
  | { kind: 'stage'; from: string; eventId: string; change: unknown };
