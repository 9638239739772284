import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { WsException } from '@nestjs/websockets';
import type { ActionError, ActionReply, ClientActionName } from '@pressroom/protocol';
import { AppError } from '../common/app-error';
import type { LiveSocket } from './live-socket';

/** Turns any failure of a realtime action into `{ok:false,error}` on its acknowledgement (or `action:error`). */
@Catch()
export class LiveExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('LiveGateway');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ws = host.switchToWs();
    const action = ws.getPattern() as ClientActionName;
    const error = this.toActionError(exception, action);
    const ack: unknown = host.getArgByIndex(2);
    if (typeof ack === 'function') {
      (ack as (reply: ActionReply<ClientActionName>) => void)({ ok: false, error });
    } else {
      ws.getClient<LiveSocket>().emit('action:error', { action, error });
    }
  }

  private toActionError(exception: unknown, action: string): ActionError {
    if (exception instanceof AppError) return exception.toActionError();
    if (exception instanceof WsException) return { code: 'bad_request', message: String(exception.message) };
    if (exception instanceof HttpException) return { code: 'bad_request', message: exception.message };
    // Only the action and error class: payloads may hold personal data.
    this.logger.error(`${action} failed: ${exception instanceof Error ? exception.stack : typeof exception}`);
    return { code: 'internal', message: 'Something went wrong on the server' };
  }
}
