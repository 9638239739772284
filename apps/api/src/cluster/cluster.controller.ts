import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AppError } from '../common/app-error';
import { CLUSTER_KEY_HEADER, ClusterService, type ForwardedStudioAction } from './cluster.service';

/** The other API nodes' calls: studio actions of their sockets, run here where the event's media is. */
@ApiExcludeController()
@Controller('cluster')
export class ClusterController {
  constructor(private readonly cluster: ClusterService) {}

  @Post('studio')
  @HttpCode(200)
  async studio(
    @Headers(CLUSTER_KEY_HEADER) key: string | undefined,
    @Body() body: Record<string, unknown>,
  ): Promise<unknown> {
    if (!this.cluster.enabled || !this.cluster.isPeer(key)) throw new AppError('forbidden', 'Only API nodes call this');
    const { action, session, socketId, node } = body as Partial<ForwardedStudioAction>;
    if (typeof action !== 'string' || typeof socketId !== 'string' || typeof node !== 'string' || !session) {
      throw new AppError('bad_request', 'action, session, socketId and node are required');
    }
    return this.cluster.runForwarded({ action, payload: body.payload ?? {}, session, socketId, node });
  }
}
