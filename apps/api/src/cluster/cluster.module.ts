import { Global, Logger, Module, type MiddlewareConsumer, type NestModule, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { MESSAGE_METADATA } from '@nestjs/websockets/constants';
import type { ActionError } from '@pressroom/protocol';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuthModule } from '../auth/auth.module';
import { AppError } from '../common/app-error';
import { Environment } from '../config/environment';
import { EventsModule } from '../events/events.module';
import { MediaPlacement } from '../media/media-placement';
import { QuestionsModule } from '../questions/questions.module';
import { RecordingController } from '../recording/recording.controller';
import { LivePayloadPipe } from '../realtime/live-payload.pipe';
import { RealtimeModule } from '../realtime/realtime.module';
import { StageGateway } from '../stage/stage.gateway';
import { StageModule } from '../stage/stage.module';
import { StageService } from '../stage/stage.service';
import { assertMayUseStudio } from '../studio/studio-guest.guard';
import { StudioGateway } from '../studio/studio.gateway';
import { StudioModule } from '../studio/studio.module';
import { StudioService } from '../studio/studio.service';
import { ClusterController } from './cluster.controller';
import { ClusterService, type ForwardedStudioAction } from './cluster.service';

type Handler = (...args: unknown[]) => Promise<unknown>;

/**
 * Several API nodes on one Redis and one database (REDIS_URL): the node registry, which node holds each
 * event's media, studio actions forwarded to it, /hls/ streamed from it. Global: the broadcast, the studio's
 * gateway, the restreams and the HLS origin ask `MediaPlacement` (absent with one node) where an event runs.
 */
@Global()
@Module({
  imports: [AuthModule, EventsModule, QuestionsModule, RealtimeModule, StageModule, StudioModule],
  controllers: [ClusterController],
  providers: [
    ClusterService,
    {
      provide: MediaPlacement,
      inject: [ClusterService, Environment],
      useFactory: (cluster: ClusterService, environment: Environment) => (environment.REDIS_URL ? cluster : undefined),
    },
  ],
  exports: [MediaPlacement],
})
export class ClusterModule implements OnModuleInit, NestModule {
  readonly #logger = new Logger('Cluster');

  constructor(
    private readonly cluster: ClusterService,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    if (!this.cluster.enabled) return;
    const studio = this.moduleRef.get(StudioService, { strict: false });
    const stage = this.moduleRef.get(StageService, { strict: false });
    const handlers = new Map([
      ...handlersOf(this.moduleRef.get(StudioGateway, { strict: false })),
      ...handlersOf(this.moduleRef.get(StageGateway, { strict: false })),
    ]);
    const pipe = new LivePayloadPipe();
    // The studio's and the stage's gateway handlers (validation by their DTO classes): one code path for every node.
    this.cluster.studioRunner = async ({ action, payload, session, socketId }: ForwardedStudioAction) => {
      const handler = handlers.get(action);
      if (!handler) return failed({ code: 'bad_request', message: `Unknown studio action ${action}` });
      try {
        // As `StudioGuestGuard` does on the node of the socket, before the payload is validated.
        if (handler.gateway instanceof StudioGateway) assertMayUseStudio(stage, session, action);
        const dto = await pipe.transform(payload, { type: 'body', metatype: handler.dto, data: undefined });
        // The socket is on the other node: it joined the studio's socket room there.
        const socket = { id: socketId, data: { session }, join: async () => undefined, leave: async () => undefined };
        const method = (handler.gateway as Record<string, Handler>)[handler.name]!;
        const args = handler.withSocket ? [session, socket, dto] : [session, dto];
        return await method.apply(handler.gateway, args);
      } catch (error) {
        return failed(this.#actionError(error, action));
      }
    };
    this.cluster.stageHere = {
      snapshot: (session) => stage.snapshot(session),
      apply: (change) => stage.apply(change),
      resume: (eventId) => stage.resume(eventId),
      forget: (eventId) => stage.forget(eventId),
    };
    stage.placement = this.cluster;
    this.cluster.studioLeave = (session, socketId) => studio.leave(session, socketId);
  }

  /** An ended event's recording is asked of the node that made it (its MEDIA_DIR). */
  configure(consumer: MiddlewareConsumer): void {
    if (!this.cluster.enabled) return;
    consumer
      .apply(
        (req: IncomingMessage & { originalUrl?: string }, res: ServerResponse, next: (error?: unknown) => void) => {
          const slug = /\/events\/([^/?]+)\/recording/.exec(req.originalUrl ?? req.url ?? '')?.[1];
          // Slugs are [a-z0-9-]; anything else is answered here (as not found).
          if (!slug || !/^[\w-]{1,64}$/.test(slug)) return next();
          this.cluster.proxyRecording(slug, req, res).then((proxied) => proxied || next(), next);
        },
      )
      .forRoutes(RecordingController);
  }

  #actionError(error: unknown, action: string): ActionError {
    if (error instanceof AppError) return error.toActionError();
    if (error instanceof Error && 'getStatus' in error) return { code: 'bad_request', message: error.message };
    this.#logger.error(`forwarded ${action} failed: ${error instanceof Error ? error.stack : typeof error}`);
    return { code: 'internal', message: 'Something went wrong on the server' };
  }
}

interface ActionHandler {
  gateway: object;
  name: string;
  dto: new () => object;
  /** `(session, socket, dto)` as the studio's; else `(session, dto)` as the stage's. */
  withSocket: boolean;
}

/** A gateway's actions (`studio:*`, `stage:*`) → the method that handles each and its payload's DTO class. */
function handlersOf(gateway: object): Map<string, ActionHandler> {
  const handlers = new Map<string, ActionHandler>();
  const prototype = Object.getPrototypeOf(gateway) as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(prototype)) {
    const method = prototype[name];
    if (typeof method !== 'function') continue;
    const action = Reflect.getMetadata(MESSAGE_METADATA, method) as string | undefined;
    const types = Reflect.getMetadata('design:paramtypes', prototype, name) as (new () => object)[] | undefined;
    const dto = types?.[types.length - 1];
    if (action && types && types.length >= 2 && dto)
      handlers.set(action, { gateway, name, dto, withSocket: types.length === 3 });
  }
  return handlers;
}

const failed = (error: ActionError) => ({ ok: false as const, error });
