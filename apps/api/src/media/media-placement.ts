import { Injectable, Optional, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { from, mergeMap, of, type Observable } from 'rxjs';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Session } from '../common/session';

/** The socket of a studio action, as far as forwarding it to another node needs. */
export interface PlacedSocket {
  id: string;
  data: { session?: Session };
  join(room: string): unknown;
  leave(room: string): unknown;
  once(event: 'disconnect', listener: () => void): unknown;
}

/**
 * Where an event's media (its studio room, its broadcast encoder) runs. One API node: here, always. Several
 * API nodes (cluster/): on the node that holds the event in the shared store; `cluster/` provides this.
 */
export abstract class MediaPlacement {
  /**
   * `lost`: another node holds the event now, while this node still ran its media (it was cut off or frozen
   * long enough for the others to take the event over). Whoever runs the event's media here stops it, quietly:
   * the holder runs it, and the studio's peers were already told to join there.
   */
  readonly observer = new EventEmitter<{ lost: [eventId: string] }>();

  /** Whether this node runs the event's media, claiming the event when no live node holds it. */
  abstract isHere(eventId: string): Promise<boolean>;

  /**
   * A studio action of a socket connected here, run on the node that holds the event: its reply, or
   * undefined when that node is this one (the action then runs here as usual).
   */
  abstract forwardStudio(action: string, socket: PlacedSocket, payload: unknown): Promise<unknown>;

  /** `GET /hls/:slug/…` of an event another node holds: streams that node's answer and resolves true. */
  abstract proxyHls(slug: string, req: IncomingMessage, res: ServerResponse): Promise<boolean>;
}

/** Runs a studio action on the node that holds its event's media (see `MediaPlacement`). */
@Injectable()
export class StudioPlacementInterceptor implements NestInterceptor {
  constructor(@Optional() private readonly placement?: MediaPlacement) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.placement) return next.handle();
    const ws = context.switchToWs();
    const action = ws.getPattern();
    return from(this.placement.forwardStudio(action, ws.getClient<PlacedSocket>(), ws.getData())).pipe(
      mergeMap((reply) => (reply === undefined ? next.handle() : of(reply))),
    );
  }
}
