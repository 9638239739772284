import { OnGatewayConnection, OnGatewayDisconnect } from '@nestjs/websockets';
import { LiveHandlers } from '../realtime/live-gateway.decorator';
import type { LiveSocket } from '../realtime/live-socket';
import { CrewService } from './crew.service';

/** A crew member's connections coming and going change their state in the control room. */
@LiveHandlers()
export class CrewGateway implements OnGatewayConnection<LiveSocket>, OnGatewayDisconnect<LiveSocket> {
  constructor(private readonly crew: CrewService) {}

  handleConnection(socket: LiveSocket): void {
    const { session } = socket.data;
    if (session) this.crew.connected(session);
  }

  handleDisconnect(socket: LiveSocket): void {
    const { session } = socket.data;
    if (session) this.crew.disconnected(session);
  }
}
