import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';

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
    }) as Server;
    if (this.redisUrl) {
      const publisher = new Redis(this.redisUrl);
      const subscriber = publisher.duplicate();
      this.redisClients.push(publisher, subscriber);
      server.adapter(createAdapter(publisher, subscriber, { key: 'pressroom' }));
    }
    return server;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    await Promise.all(this.redisClients.splice(0).map((client) => client.quit().catch(() => undefined)));
  }
}
