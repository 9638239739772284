import { RequestMethod, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { resolve } from 'node:path';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { HlsOrigin } from './broadcast/hls-origin';
import { isHttps } from './config/settings';
import { HttpErrorFilter } from './common/http-error.filter';
import { hardenHttp } from './http-hardening';
import { PayloadValidationPipe } from './common/validation';
import { collectProcessMetricsOnce } from './common/process-metrics';
import type { Environment } from './config/environment';
import { LiveIoAdapter } from './realtime/live-io.adapter';
import { compressResponses } from './web/compression';
import { EventsService } from './events/events.service';
import { serveFrontends } from './web/frontends';

/** The whole API as `main.ts` serves it; tests build it the same way with their own environment. */
export async function createApp(environment: Environment): Promise<INestApplication> {
  collectProcessMetricsOnce();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(environment), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  hardenHttp(app, environment);
  // Viewers' playlists and segments: a lean path ahead of Express and Nest (no per-request log line).
  app.get(HlsOrigin).attach(app.getHttpServer(), isHttps(environment));
  compressResponses(app);
  // The privacy notice is a page (`/:slug/privacy`), outside `/api`.
  app.setGlobalPrefix('api', { exclude: ['health', 'metrics', { path: ':slug/privacy', method: RequestMethod.GET }] });
  app.useGlobalPipes(new PayloadValidationPipe((metadata) => metadata.type === 'body'));
  app.useGlobalFilters(new HttpErrorFilter());
  app.useWebSocketAdapter(new LiveIoAdapter(app, environment.REDIS_URL));
  app.enableShutdownHooks();
  const events = app.get(EventsService);
  serveFrontends(app, resolve(environment.WEB_DIR), (slug) => events.languageOf(slug));
  const openApi = new DocumentBuilder()
    .setTitle('Pressroom API')
    .setDescription(
      'Events, access, and the moderated conversation of a press conference. Realtime: socket.io namespace /live.',
    )
    .addBearerAuth()
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, openApi));
  return app;
}
