import type { INestApplicationContext } from '@nestjs/common';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Observable } from 'rxjs';
import type { Namespace, Server, ServerOptions, Socket } from 'socket.io';

/**
 * How often the server pings each client, and how long either side waits for the answer. A client that
 * hears nothing for both (its node hangs: the port still accepts, nothing answers) reconnects, and nginx
 * sends it to another node: within ~20 s rather than socket.io's default 45 s. A ping is a few bytes.
 */
export const LIVE_PING_INTERVAL_MS = 10_000;
export const LIVE_PING_TIMEOUT_MS = 10_000;

/**
 * socket.io server settings for `/live`: small messages only, no bundled client served; with a Redis
 * URL, every broadcast also reaches the clients of the other API nodes.
 */
export class LiveIoAdapter extends IoAdapter {
  private readonly redisClients: Redis[] = [];

  constructor(
    app: INestApplicationContext,
    private readonly redisUrl?: string,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, {
      ...options,
      serveClient: false,
      maxHttpBufferSize: 64 * 1024,
      connectTimeout: 10_000,
      pingInterval: LIVE_PING_INTERVAL_MS,
      pingTimeout: LIVE_PING_TIMEOUT_MS,
    }) as Server;
    if (this.redisUrl) {
      const publisher = new Redis(this.redisUrl);
      const subscriber = publisher.duplicate();
      this.redisClients.push(publisher, subscriber);
      server.adapter(createAdapter(publisher, subscriber, { key: 'pressroom' }));
    }
    return server;
  }

  /**
   * Plain listeners instead of Nest's RxJS pipeline per handler per socket: that pipeline costs ~4.5 KB
   * for each of the ~30 handlers on every one of thousands of audience sockets (measured by bench:fanout).
   */
  override bindMessageHandlers(
    socket: Socket,
    handlers: MessageMappingProperties[],
    transform: (data: unknown) => Observable<unknown>,
  ): void {
    for (const { message, callback, isAckHandledManually } of handlers) {
      socket.on(message as string, (...args: unknown[]) => {
        const { data, ack } = this.mapPayload(args.length === 1 ? args[0] : args);
        transform(callback(data, ack)).subscribe({
          next: (response) => {
            if (response === null || response === undefined) return;
            if (!isAckHandledManually && typeof ack === 'function') ack(response);
          },
          // Failures were already answered by the gateway's exception filter.
          error: () => undefined,
        });
      });
    }
  }

  /**
   * Drops the connections before closing the server: clients then see a lost transport and reconnect to
   * the next instance (a socket.io "disconnect" from the server would tell them to stay away).
   */
  override async close(server: Server | Namespace): Promise<void> {
    const io = 'engine' in server ? server : server.server;
    io.engine.close();
    await super.close(io);
    await Promise.all(this.redisClients.splice(0).map((client) => client.quit().catch(() => undefined)));
  }
}
