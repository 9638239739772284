import { Logger, OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { OnGatewayConnection, OnGatewayDisconnect, OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import { isClientAction, LIVE_NAMESPACE, type ActionError, type Counters } from '@pressroom/protocol';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Namespace } from 'socket.io';
import { AccessService } from '../access/access.service';
import { AppError } from '../common/app-error';
import { clientAddress, type TrustFunction } from '../common/client-address';
import { Environment } from '../config/environment';
import { ConnectionsPerAddress } from '../realtime/connections-per-address';
import { LiveNotifier } from '../realtime/live-notifier';
import { liveConnections, liveConnectionsRefused, liveMessages, liveRefusals } from '../realtime/live-metrics';
import type { LiveSocket } from '../realtime/live-socket';
import { LiveStateService } from './live-state.service';
import { rooms } from '../realtime/rooms';

const COUNTERS_INTERVAL_MS = 2000;

/**
 * The edge of `/live`: authenticates each connection from its access token, joins it to its rooms,
 * sends its `state`, and refuses unknown or flooding messages before any handler sees them.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class LiveGateway
  implements OnGatewayInit<Namespace>, OnGatewayConnection<LiveSocket>, OnGatewayDisconnect, OnModuleDestroy
{
  private readonly logger = new Logger(LiveGateway.name);
  private readonly flood: RateLimiterMemory;
  private readonly connections: ConnectionsPerAddress;
  private readonly lastCounters = new Map<string, string>();
  private countersTimer?: NodeJS.Timeout;
  private namespace?: Namespace;

  constructor(
    private readonly access: AccessService,
    private readonly state: LiveStateService,
    private readonly notifier: LiveNotifier,
    private readonly http: HttpAdapterHost,
    environment: Environment,
  ) {
    this.flood = new RateLimiterMemory({ points: environment.SOCKET_MESSAGES_PER_SECOND, duration: 1 });
    this.connections = new ConnectionsPerAddress(environment.LIVE_CONNECTIONS_PER_ADDRESS);
  }

  afterInit(namespace: Namespace): void {
    this.namespace = namespace;
    this.notifier.attach(namespace);
    namespace.use((socket, next) => {
      // The same client address as REST limits and logs see (TRUST_PROXY), while the connection is open.
      const address = clientAddress(socket.request, this.trustProxy());
      const release = this.connections.take(address);
      if (!release) {
        liveConnectionsRefused.inc();
        const message = `Too many live connections from your network address (${this.connections.cap}): close a tab or a device`;
        return next(connectError(new AppError('rate_limited', message)));
      }
      socket.conn.once('close', release);
      socket.once('disconnect', release);
      const token: unknown = socket.handshake.auth?.token;
      this.access.resolveSession(token).then(
        (session) => {
          (socket as LiveSocket).data.session = session;
          next();
        },
        (error: unknown) => {
          release();
          next(connectError(error));
        },
      );
    });
    this.countersTimer = setInterval(() => this.sendCounters(), COUNTERS_INTERVAL_MS);
  }

  async handleConnection(socket: LiveSocket): Promise<void> {
    liveConnections.inc();
    socket.use(([action, ...args], next) => {
      const ack = args.at(-1);
      const refuse = (error: ActionError) => {
        liveRefusals.inc({ reason: error.code });
        if (typeof ack === 'function') ack({ ok: false, error });
        else socket.emit('action:error', { action: String(action), error });
      };
      liveMessages.inc({ action: isClientAction(action) ? action : 'unknown' });
      this.flood.consume(socket.id).then(
        () => {
          if (isClientAction(action)) return next();
          refuse({ code: 'unknown_event', message: `Unknown action "${String(action).slice(0, 64)}"` });
        },
        () => refuse({ code: 'rate_limited', message: 'Too many messages: slow down', retryAfterMs: 1000 }),
      );
    });
    const { session } = socket.data;
    await socket.join([
      rooms.event(session.eventId),
      rooms.role(session.eventId, session.role),
      rooms.participant(session.participantId),
    ]);
    try {
      socket.emit('state', await this.state.snapshot(session));
    } catch (error) {
      this.logger.error(`state snapshot failed: ${error instanceof Error ? error.message : 'unknown'}`);
      socket.disconnect(true);
    }
  }

  handleDisconnect(): void {
    liveConnections.dec();
  }

  onModuleDestroy(): void {
    clearInterval(this.countersTimer);
  }

  /** Express's compiled `trust proxy` rule, which `hardenHttp` set from TRUST_PROXY. */
  private trustProxy(): TrustFunction {
    const express = this.http.httpAdapter?.getInstance<{ get(setting: string): TrustFunction | undefined }>();
    return express?.get('trust proxy fn') ?? (() => false);
  }

  /** Every few seconds, to the moderators of each event with moderators online, when the counts changed. */
  private sendCounters(): void {
    const eventIds = [...(this.namespace?.adapter.rooms.keys() ?? [])]
      .filter((room) => room.startsWith('event:') && room.endsWith(':moderator'))
      .map((room) => room.slice('event:'.length, -':moderator'.length));
    for (const eventId of this.lastCounters.keys()) if (!eventIds.includes(eventId)) this.lastCounters.delete(eventId);
    for (const eventId of eventIds) {
      const counters: Counters = this.state.counters(eventId);
      const serialized = JSON.stringify(counters);
      if (this.lastCounters.get(eventId) === serialized) continue;
      this.lastCounters.set(eventId, serialized);
      this.notifier.toModerators(eventId, 'counters', counters);
    }
  }
}

/** socket.io hands `err.message` and `err.data` to the client's `connect_error`. */
function connectError(error: unknown): Error & { data: ActionError } {
  const actionError: ActionError =
    error instanceof AppError ? error.toActionError() : { code: 'unauthorized', message: 'Could not verify the token' };
  return Object.assign(new Error(actionError.message), { data: actionError });
}
