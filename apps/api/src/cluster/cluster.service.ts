import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ActionError, QuestionView } from '@pressroom/protocol';
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import { SecretsService } from '../auth/secrets.service';
import { AppError } from '../common/app-error';
import type { Session } from '../common/session';
import { Environment } from '../config/environment';
import { EventsService } from '../events/events.service';
import type { PressEvent } from '../events/press-event.entity';
import { MediaPlacement, type PlacedSocket } from '../media/media-placement';
import { QuestionsService } from '../questions/questions.service';
import type { StagePlacement, StageRelay, StageSnapshot } from '../stage/stage.service';
import { LiveNotifier } from '../realtime/live-notifier';
import { rooms } from '../realtime/rooms';
import { CHANGES_CHANNEL, ClusterStore, HEARTBEAT_MS, type ClusterChange } from './cluster-store';

/** The headers that carry the nodes' shared key: on their studio calls, and on an /hls/ request one proxies to another. */
export const CLUSTER_KEY_HEADER = 'x-pressroom-cluster';
export const CLUSTER_HOP_HEADER = 'x-pressroom-node';
/** The owner's studio route, under the API's prefix. */
export const CLUSTER_STUDIO_PATH = '/api/cluster/studio';
/** The pseudo-action a socket's node sends when that socket went away. */
export const STUDIO_GONE = 'studio:gone';
/** The pseudo-action a node sends for the stage in the state of a session connected there. */
export const STAGE_SNAPSHOT = 'stage:snapshot';

/** A studio action forwarded to the node that holds the event. */
export interface ForwardedStudioAction {
  action: string;
  payload: unknown;
  session: Session;
  socketId: string;
  node: string;
}

/** How long a node trusts what it read of an event's holder (the /hls/ path reads it per request). */
const OWNER_CACHE_MS = 1_000;
const SLUG_CACHE_MS = 30_000;
const FORWARD_TIMEOUT_MS = 10_000;

interface Owner {
  here: boolean;
  url?: string;
  until: number;
}

/**
 * Several API nodes on one Redis (and one database): each node registers with a heartbeat; each event's
 * media (the studio room, the broadcast's one encoder, its restreams) runs on the node that holds the event,
 * recorded in Redis. The first node that needs an event's media claims it; a node that stops heartbeating
 * for NODE_TTL_MS loses its events to the next node that needs them (a live event is taken at once).
 *
 * Any node takes any socket: a studio action of a socket here is run on the holder over HTTP (NODE_URL,
 * a key derived from the server secret), and the holder's studio events reach the socket through the Redis
 * adapter. `/hls/` of an event held elsewhere is streamed from the holder. Changes made here that the
 * holder's media must follow (status, question on air) go to it over a Redis channel.
 *
 * Without REDIS_URL there is one node: everything is here, and none of this runs.
 */
@Injectable()
export class ClusterService extends MediaPlacement implements StagePlacement, OnModuleInit, OnApplicationShutdown {
  readonly nodeId = randomUUID();
  readonly #logger = new Logger('Cluster');
  readonly #store?: ClusterStore;
  #subscriber?: Redis;
  #ready?: Promise<void>;
  #url?: string;
  #key?: Buffer;
  #timers: NodeJS.Timeout[] = [];
  #closing = false;
  /** Set while this node replays a change on its own observers: not to be published again. */
  #replaying = false;
  readonly #owners = new Map<string, Owner>();
  /** Events this node has found it holds (and may run media for) since it started. */
  readonly #held = new Set<string>();
  readonly #slugs = new Map<string, { eventId: string; until: number }>();
  /** Sockets of this node in a studio held elsewhere. */
  readonly #forwarded = new Map<string, Session>();
  /** On the holder: studio peers whose socket is on another node, by node, for when that node dies. */
  readonly #remotePeers = new Map<string, Map<string, Session>>();
  readonly #agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  /** Runs forwarded studio actions here (the studio gateway's own handlers); set by ClusterModule. */
  studioRunner?: (request: ForwardedStudioAction) => Promise<unknown>;
  /** Leaves the studio for a socket that is gone; set by ClusterModule. */
  studioLeave?: (session: Session, socketId: string) => Promise<void>;
  /** The stage here, for a session on another node; a change another node relayed. Set by ClusterModule. */
  stageHere?: {
    snapshot(session: Session): Promise<StageSnapshot>;
    apply(change: StageRelay): void;
    /** The turns on stage of an event taken over here go on. */
    resume(eventId: string): Promise<void>;
    /** The stage of an event another node took over from this one: forgotten here. */
    forget(eventId: string): void;
  };

  constructor(
    private readonly environment: Environment,
    private readonly events: EventsService,
    private readonly questions: QuestionsService,
    private readonly notifier: LiveNotifier,
    private readonly secrets: SecretsService,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    super();
    if (environment.REDIS_URL) this.#store = new ClusterStore(environment.REDIS_URL);
  }

  get enabled(): boolean {
    return this.#store !== undefined;
  }

  onModuleInit(): void {
    if (!this.#store) return;
    this.events.observer.on('statuschange', this.#onStatusChange);
    this.events.observer.on('detailschange', this.#onDetailsChange);
    this.questions.observer.on('onair', this.#onAir);
    this.#ready = this.#startRetrying();
  }

  /** Redis may come up after the API: the node registers as soon as it can (media waits for it meanwhile). */
  async #startRetrying(): Promise<void> {
    for (let attempt = 1; !this.#closing; attempt++) {
      try {
        return await this.#start();
      } catch (error) {
        // Shutting down (the database may be closed already): there is nothing left to register.
        if (this.#closing) return;
        if (attempt === 1) this.#logger.error(`cannot register this node in Redis yet: ${describe(error)}; retrying`);
        await new Promise((resolve) => setTimeout(resolve, HEARTBEAT_MS));
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.#store) return;
    this.#closing = true;
    this.events.observer.off('statuschange', this.#onStatusChange);
    this.events.observer.off('detailschange', this.#onDetailsChange);
    this.questions.observer.off('onair', this.#onAir);
    for (const timer of this.#timers) clearInterval(timer);
    await this.#store.leave(this.nodeId).catch(() => undefined);
    await this.#subscriber?.quit().catch(() => undefined);
    await this.#store.close();
    this.#agents.http.destroy();
    this.#agents.https.destroy();
  }

  async #start(): Promise<void> {
    const store = this.#store!;
    for (const timer of this.#timers.splice(0)) clearInterval(timer);
    this.#key = createHmac('sha256', await this.secrets.tokenSigningKey())
      .update('pressroom cluster v1')
      .digest();
    this.#url = this.environment.NODE_URL?.replace(/\/$/, '');
    if (!this.#url && this.environment.PORT) this.#url = `http://127.0.0.1:${this.environment.PORT}`;
    if (!this.#url) {
      // PORT=0 (tests): the address is known once the server listens.
      const server = this.adapterHost.httpAdapter.getHttpServer() as import('node:http').Server;
      await new Promise<void>((resolve) => {
        const take = () => {
          this.#url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
          resolve();
        };
        if (server.listening) take();
        else server.once('listening', take);
      });
    }
    await store.heartbeat(this.nodeId, this.#url!);
    this.#subscriber?.disconnect();
    this.#subscriber = store.subscriber();
    this.#subscriber.on('message', (_channel: string, message: string) => void this.#onChange(message));
    await this.#subscriber.subscribe(CHANGES_CHANNEL);
    // Shut down meanwhile (a test's short run): no heartbeat may outlive the node.
    if (this.#closing) return void this.#subscriber.disconnect();
    this.#timers.push(
      setInterval(() => void store.heartbeat(this.nodeId, this.#url!).catch(this.#logError), HEARTBEAT_MS),
      setInterval(() => void this.#watch().catch(this.#logError), HEARTBEAT_MS),
    );
    this.#logger.log(`API node ${this.nodeId} at ${this.#url}`);
  }

  // --- where an event's media runs ---

  override async isHere(eventId: string): Promise<boolean> {
    if (!this.#store) return true;
    return (await this.#owner(eventId, true)).here;
  }

  /** The event's holder (claimed for this node when nobody alive holds it), trusted for a second. */
  async #owner(eventId: string, claim: boolean): Promise<Owner> {
    const cached = this.#owners.get(eventId);
    if (cached && cached.until > Date.now() && (cached.here || cached.url)) return cached;
    await this.#ready;
    const node = await this.#store!.ownerOf(eventId, this.nodeId, claim);
    const until = Date.now() + OWNER_CACHE_MS;
    let owner: Owner;
    if (node === null) owner = { here: false, until: 0 };
    else if (node === this.nodeId) {
      owner = { here: true, until };
      this.#held.add(eventId);
    } else {
      const url = await this.#store!.urlOf(node);
      owner = url ? { here: false, url, until } : { here: false, until: 0 };
    }
    if (this.#owners.size > 10_000) this.#owners.clear();
    if (owner.until > 0) this.#owners.set(eventId, owner);
    return owner;
  }

  // --- studio actions of sockets here, run on the holder ---

  override async forwardStudio(action: string, socket: PlacedSocket, payload: unknown): Promise<unknown> {
    const session = socket.data.session;
    if (!this.#store || !session) return undefined;
    const owner = await this.#owner(session.eventId, true);
    if (owner.here) return undefined;
    if (!owner.url) throw new AppError('internal', 'The studio is moving to another server: try again in a moment');
    const studioRoom = rooms.studio(session.eventId);
    // In the studio's socket room before the holder's snapshot, as the gateway does, so no track is missed.
    if (action === 'studio:join') await socket.join(studioRoom);
    let reply: { ok: boolean };
    try {
      reply = (await this.#call(owner.url, {
        action,
        payload,
        session,
        socketId: socket.id,
        node: this.nodeId,
      })) as { ok: boolean };
    } catch (error) {
      this.#owners.delete(session.eventId);
      if (action === 'studio:join') await socket.leave(studioRoom);
      this.#logger.warn(`studio action ${action} could not reach ${owner.url}: ${describe(error)}`);
      throw new AppError('internal', 'The studio server of this event is not reachable: try again in a moment');
    }
    if (action === 'studio:join' && reply.ok) this.#track(socket, session);
    if ((action === 'studio:join' && !reply.ok) || action === 'studio:leave') await socket.leave(studioRoom);
    return reply;
  }

  /** When a socket in a studio held elsewhere goes away, the holder's peer for it leaves. */
  #track(socket: PlacedSocket, session: Session): void {
    if (this.#forwarded.has(socket.id)) return;
    this.#forwarded.set(socket.id, session);
    socket.once('disconnect', () => {
      this.#forwarded.delete(socket.id);
      void this.#owner(session.eventId, false)
        .then((owner) =>
          owner.url
            ? this.#call(owner.url, {
                action: STUDIO_GONE,
                payload: {},
                session,
                socketId: socket.id,
                node: this.nodeId,
              })
            : undefined,
        )
        .catch(this.#logError);
    });
  }

  #call(baseUrl: string, body: ForwardedStudioAction): Promise<unknown> {
    const url = new URL(CLUSTER_STUDIO_PATH, baseUrl);
    const json = Buffer.from(JSON.stringify(body));
    const https = url.protocol === 'https:';
    return new Promise((resolve, reject) => {
      const request = (https ? httpsRequest : httpRequest)(
        url,
        {
          method: 'POST',
          agent: https ? this.#agents.https : this.#agents.http,
          headers: {
            'Content-Type': 'application/json',
            'Content-Length': json.length,
            [CLUSTER_KEY_HEADER]: this.#key!.toString('base64url'),
          },
          timeout: FORWARD_TIMEOUT_MS,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (response.statusCode !== 200)
              return reject(new Error(`HTTP ${response.statusCode}: ${text.slice(0, 200)}`));
            try {
              resolve(JSON.parse(text));
            } catch (error) {
              reject(error as Error);
            }
          });
        },
      );
      request.on('timeout', () => request.destroy(new Error('no answer in time')));
      request.on('error', reject);
      request.end(json);
    });
  }

  /** The other nodes' calls carry the key derived from the shared server secret. */
  isPeer(key: unknown): boolean {
    if (!this.#key || typeof key !== 'string') return false;
    const given = Buffer.from(key, 'base64url');
    return given.length === this.#key.length && timingSafeEqual(given, this.#key);
  }

  /** On the holder: a studio action of a socket on another node. */
  async runForwarded(request: ForwardedStudioAction): Promise<unknown> {
    const { action, session, socketId, node } = request;
    if (action === STUDIO_GONE) {
      this.#remotePeers.get(node)?.delete(socketId);
      await this.studioLeave?.(session, socketId);
      return { ok: true };
    }
    if (!(await this.isHere(session.eventId))) {
      return failed({ code: 'internal', message: 'The studio moved to another server: join again' });
    }
    if (action === STAGE_SNAPSHOT) return { ok: true, ...(await this.stageHere!.snapshot(session)) };
    const reply = (await this.studioRunner!(request)) as { ok: boolean };
    if (action === 'studio:join' && reply.ok) {
      let peers = this.#remotePeers.get(node);
      if (!peers) this.#remotePeers.set(node, (peers = new Map()));
      peers.set(socketId, session);
    }
    if (action === 'studio:leave') this.#remotePeers.get(node)?.delete(socketId);
    return reply;
  }

  // --- the stage, which lives with the event's media ---

  /** The holder's stage for a session here, when another node holds the event; undefined: ask this node. */
  async snapshotElsewhere(session: Session): Promise<StageSnapshot | undefined> {
    if (!this.#store) return undefined;
    const owner = await this.#owner(session.eventId, false);
    if (owner.here || !owner.url) return undefined;
    try {
      const reply = (await this.#call(owner.url, {
        action: STAGE_SNAPSHOT,
        payload: {},
        session,
        socketId: '',
        node: this.nodeId,
      })) as { ok: boolean } & StageSnapshot;
      if (reply.ok) return { stage: reply.stage, myStage: reply.myStage };
    } catch (error) {
      this.#owners.delete(session.eventId);
      this.#logger.warn(`the stage of ${session.eventId} could not be read from ${owner.url}: ${describe(error)}`);
    }
    return undefined;
  }

  /** A change the stage of the event's holder must follow: to the other nodes, over the changes channel. */
  relay(change: StageRelay): void {
    if (!this.#store || this.#closing) return;
    void this.#store
      .publish({ kind: 'stage', from: this.nodeId, eventId: change.eventId, change })
      .catch(this.#logError);
  }

  // --- /hls/ of events held elsewhere ---

  override proxyHls(slug: string, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    return this.#proxy(slug, req, res, true);
  }

  /** An ended event's recording (`/api/events/:slug/recording[.mp4]`) is on the disk of the node that held it. */
  proxyRecording(slug: string, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    return this.#proxy(slug, req, res, false);
  }

  /** Streams the holder's answer to a request about an event held elsewhere; false: answer it here. */
  async #proxy(slug: string, req: IncomingMessage, res: ServerResponse, claim: boolean): Promise<boolean> {
    // A request another node proxied here is answered here (the header carries the nodes' key: a client
    // cannot use it to make a node that does not hold the event answer, and start a second encoder).
    if (!this.#store || this.isPeer(req.headers[CLUSTER_HOP_HEADER])) return false;
    const eventId = await this.#eventIdOf(slug);
    if (!eventId) return false;
    const owner = await this.#owner(eventId, claim);
    if (owner.here || !owner.url) return false;
    const target = new URL((req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url!, owner.url);
    const https = target.protocol === 'https:';
    const headers: Record<string, string | string[] | undefined> = {
      ...req.headers,
      host: target.host,
      [CLUSTER_HOP_HEADER]: this.#key!.toString('base64url'),
    };
    for (const name of ['connection', 'keep-alive', 'upgrade', 'proxy-connection', 'transfer-encoding']) {
      delete headers[name];
    }
    const upstream = (https ? httpsRequest : httpRequest)(target, {
      method: req.method,
      headers,
      agent: https ? this.#agents.https : this.#agents.http,
      timeout: FORWARD_TIMEOUT_MS,
    });
    upstream.on('response', (answer) => {
      const copied = { ...answer.headers };
      delete copied.connection;
      delete copied['keep-alive'];
      res.writeHead(answer.statusCode ?? 502, copied);
      answer.pipe(res);
    });
    upstream.on('timeout', () => upstream.destroy(new Error('no answer in time')));
    upstream.on('error', (error) => {
      this.#owners.delete(eventId);
      this.#logger.warn(`${target.pathname} from ${owner.url}: ${describe(error)}`);
      if (res.headersSent) return void res.destroy();
      const body = JSON.stringify({
        statusCode: 503,
        error: 'internal',
        message: 'The stream is moving to another server: try again in a moment',
      });
      res
        .writeHead(503, {
          'Content-Type': 'application/json; charset=utf-8',
          'Cache-Control': 'no-store',
          'Retry-After': '1',
        })
        .end(body);
    });
    res.on('close', () => upstream.destroy());
    upstream.end();
    return true;
  }

  async #eventIdOf(slug: string): Promise<string | undefined> {
    const cached = this.#slugs.get(slug);
    if (cached && cached.until > Date.now()) return cached.eventId;
    const event = await this.events.findOpen(slug).catch(() => undefined);
    if (!event) return undefined;
    if (this.#slugs.size > 10_000) this.#slugs.clear();
    this.#slugs.set(slug, { eventId: event.id, until: Date.now() + SLUG_CACHE_MS });
    return event.id;
  }

  // --- changes the holder must apply ---

  readonly #onStatusChange = (event: PressEvent): void => {
    if (this.#replaying) return;
    void this.#store!.publish({ kind: 'status', from: this.nodeId, eventId: event.id }).catch(this.#logError);
    if (event.status === 'purged') {
      this.#owners.delete(event.id);
      void this.#store!.forget(event.id).catch(this.#logError);
    }
  };

  readonly #onDetailsChange = (event: PressEvent): void => {
    if (this.#replaying) return;
    void this.#store!.publish({ kind: 'details', from: this.nodeId, eventId: event.id }).catch(this.#logError);
  };

  readonly #onAir = (eventId: string, question: QuestionView | null): void => {
    if (this.#replaying) return;
    void this.#store!.publish({ kind: 'onair', from: this.nodeId, eventId, question }).catch(this.#logError);
  };

  async #onChange(message: string): Promise<void> {
    let change: ClusterChange;
    try {
      change = JSON.parse(message) as ClusterChange;
    } catch {
      return;
    }
    if (change.from === this.nodeId || this.#closing) return;
    // (A stage change, e.g. a journalist's connection, says nothing new about the holder: the cache stays.)
    if (change.kind !== 'stage') this.#owners.delete(change.eventId);
    if (!(await this.#owner(change.eventId, false)).here) return;
    if (change.kind === 'stage') {
      this.stageHere?.apply(change.change as StageRelay);
    } else if (change.kind === 'status' || change.kind === 'details') {
      const event = await this.events.findById(change.eventId).catch(() => undefined);
      const name = change.kind === 'status' ? 'statuschange' : 'detailschange';
      if (event) this.#replay(() => this.events.observer.emit(name, event));
    } else {
      this.#replay(() => this.questions.observer.emit('onair', change.eventId, change.question as QuestionView | null));
    }
  }

  #replay(emit: () => void): void {
    this.#replaying = true;
    try {
      emit();
    } finally {
      this.#replaying = false;
    }
  }

  // --- nodes that die ---

  async #watch(): Promise<void> {
    if (this.#closing) return;
    const store = this.#store!;
    const nodes = await store.nodes();
    const alive = new Set(nodes.filter((node) => node.alive).map((node) => node.id));
    // Studio peers of sockets on a node that died: nobody will tell us they left.
    for (const [node, peers] of this.#remotePeers) {
      if (alive.has(node)) continue;
      this.#remotePeers.delete(node);
      for (const [socketId, session] of peers) await this.studioLeave?.(session, socketId).catch(this.#logError);
    }
    // Events this node held that another node holds now: this node was cut off or frozen for longer than
    // its lease and the others took them over. Their media stops here: one encoder per event.
    const { elsewhere, nobody } = await store.heldElsewhere(this.nodeId, this.#held);
    for (const eventId of nobody) this.#held.delete(eventId);
    for (const eventId of elsewhere) {
      this.#held.delete(eventId);
      this.#owners.delete(eventId);
      this.#logger.warn(`event ${eventId} is held by another node now: its media stops here`);
      this.stageHere?.forget(eventId);
      this.observer.emit('lost', eventId);
    }
    // Live events of a node that died: the first node to see it takes them, and runs their broadcast.
    for (const [eventId, deadNode] of await store.orphans()) {
      const event = await this.events.findById(eventId).catch(() => undefined);
      if (!event || event.status !== 'live') {
        // Claimed again when some node needs its media (an ended event's recording stayed on the dead node).
        await store.release(eventId, deadNode);
        continue;
      }
      this.#owners.delete(eventId);
      if (!(await this.#owner(eventId, true)).here) continue;
      this.#logger.warn(`took over live event ${eventId} from a node that stopped`);
      // The guests on stage first: the studio's peers are about to be told to join again.
      await this.stageHere?.resume(eventId).catch(this.#logError);
      this.#replay(() => this.events.observer.emit('statuschange', event));
      this.notifier.toStudio(eventId, 'studio:reset', { reason: 'The studio moved to another server' });
    }
  }

  readonly #logError = (error: unknown) => this.#logger.error(`cluster: ${describe(error)}`);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const failed = (error: ActionError) => ({ ok: false, error });
