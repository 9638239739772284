import { UseGuards, UseInterceptors } from '@nestjs/common';
import { ConnectedSocket, MessageBody, OnGatewayDisconnect, SubscribeMessage } from '@nestjs/websockets';
import type { ActionReply } from '@pressroom/protocol';
import type { Session } from '../common/session';
import { StudioPlacementInterceptor } from '../media/media-placement';
import { LiveHandlers } from '../realtime/live-gateway.decorator';
import { LiveSession, type LiveSocket } from '../realtime/live-socket';
import { rooms } from '../realtime/rooms';
import {
  ConnectTransportDto,
  ConsumeDto,
  ConsumerRefDto,
  CreateTransportDto,
  EmptyDto,
  ProduceDto,
  ProducerRefDto,
} from './studio.dto';
import { StudioGuestGuard } from './studio-guest.guard';
import { StudioService } from './studio.service';

/** Studio signalling for speakers, moderators and the guest on stage; a socket that goes away leaves the studio. */
@LiveHandlers()
@UseGuards(StudioGuestGuard)
// Several API nodes: the action runs on the node that holds the event's media (cluster/).
@UseInterceptors(StudioPlacementInterceptor)
export class StudioGateway implements OnGatewayDisconnect<LiveSocket> {
  constructor(private readonly studio: StudioService) {}

  async handleDisconnect(socket: LiveSocket): Promise<void> {
    const { session } = socket.data;
    if (session && session.role !== 'viewer') await this.studio.leave(session, socket.id);
  }

  @SubscribeMessage('studio:join')
  async join(
    @LiveSession() session: Session,
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() _: EmptyDto,
  ): Promise<ActionReply<'studio:join'>> {
    // In the studio's socket room before the snapshot, so no track announced in between is missed.
    await socket.join(rooms.studio(session.eventId));
    try {
      return { ok: true, ...(await this.studio.join(session, socket.id)) };
    } catch (error) {
      await socket.leave(rooms.studio(session.eventId));
      throw error;
    }
  }

  @SubscribeMessage('studio:leave')
  async leave(
    @LiveSession() session: Session,
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() _: EmptyDto,
  ): Promise<ActionReply<'studio:leave'>> {
    await this.studio.leave(session, socket.id);
    await socket.leave(rooms.studio(session.eventId));
    return { ok: true };
  }

  @SubscribeMessage('studio:createTransport')
  async createTransport(
    @LiveSession() session: Session,
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() dto: CreateTransportDto,
  ): Promise<ActionReply<'studio:createTransport'>> {
    return { ok: true, transport: await this.studio.createTransport(session, socket.id, dto.direction) };
  }

  @SubscribeMessage('studio:connectTransport')
  async connectTransport(
    @LiveSession() session: Session,
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() dto: ConnectTransportDto,
  ): Promise<ActionReply<'studio:connectTransport'>> {
    await this.studio.connectTransport(session, socket.id, dto.transportId, dto.dtlsParameters);
    return { ok: true };
  }

  @SubscribeMessage('studio:produce')
  async produce(
    @LiveSession() session: Session,
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() dto: ProduceDto,
  ): Promise<ActionReply<'studio:produce'>> {
    return { ok: true, producerId: await this.studio.produce(session, socket.id, dto) };
  }

  @SubscribeMessage('studio:consume')
  async consume(
    @LiveSession() session: Session,
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() dto: ConsumeDto,
  ): Promise<ActionReply<'studio:consume'>> {
    return { ok: true, consumer: await this.studio.consume(session, socket.id, dto) };
  }

  @SubscribeMessage('studio:resumeConsumer')
  async resumeConsumer(
    @LiveSession() session: Session,
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() dto: ConsumerRefDto,
  ): Promise<ActionReply<'studio:resumeConsumer'>> {
    await this.studio.resumeConsumer(session, socket.id, dto.consumerId);
    return { ok: true };
  }

  @SubscribeMessage('studio:pauseProducer')
  async pauseProducer(
    @LiveSession() session: Session,
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() dto: ProducerRefDto,
  ): Promise<ActionReply<'studio:pauseProducer'>> {
    await this.studio.setProducerPaused(session, socket.id, dto.producerId, true);
    return { ok: true };
  }

  @SubscribeMessage('studio:resumeProducer')
  async resumeProducer(
    @LiveSession() session: Session,
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() dto: ProducerRefDto,
  ): Promise<ActionReply<'studio:resumeProducer'>> {
    await this.studio.setProducerPaused(session, socket.id, dto.producerId, false);
    return { ok: true };
  }

  @SubscribeMessage('studio:closeProducer')
  async closeProducer(
    @LiveSession() session: Session,
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() dto: ProducerRefDto,
  ): Promise<ActionReply<'studio:closeProducer'>> {
    await this.studio.closeProducer(session, socket.id, dto.producerId);
    return { ok: true };
  }
}
