import { Injectable } from '@nestjs/common';
import type { Role, ServerEventName, ServerEvents } from '@pressroom/protocol';
import type { Namespace } from 'socket.io';
import { rooms } from './rooms';

/** The one way services talk to realtime clients: typed sends to rooms, never to socket.io directly. */
@Injectable()
export class LiveNotifier {
  private namespace?: Namespace;

  attach(namespace: Namespace): void {
    this.namespace = namespace;
  }

  toEvent<E extends ServerEventName>(eventId: string, name: E, payload: ServerEvents[E]): void {
    this.send(rooms.event(eventId), name, payload);
  }

  toRoles<E extends ServerEventName>(eventId: string, roles: readonly Role[], name: E, payload: ServerEvents[E]): void {
    if (roles.length === 0) return;
    this.namespace?.to(roles.map((role) => rooms.role(eventId, role))).emit(name, payload);
  }

  toModerators<E extends ServerEventName>(eventId: string, name: E, payload: ServerEvents[E]): void {
    this.send(rooms.role(eventId, 'moderator'), name, payload);
  }

  toParticipant<E extends ServerEventName>(participantId: string, name: E, payload: ServerEvents[E]): void {
    this.send(rooms.participant(participantId), name, payload);
  }

  toStudio<E extends ServerEventName>(eventId: string, name: E, payload: ServerEvents[E]): void {
    this.send(rooms.studio(eventId), name, payload);
  }

  /** Takes every socket of the participant out of a room (e.g. the studio's, when a guest's turn ends). */
  leave(participantId: string, room: string): void {
    this.namespace?.in(rooms.participant(participantId)).socketsLeave(room);
  }

  disconnectParticipant(participantId: string): void {
    this.namespace?.in(rooms.participant(participantId)).disconnectSockets(true);
  }

  disconnectEvent(eventId: string): void {
    this.namespace?.in(rooms.event(eventId)).disconnectSockets(true);
  }

  /** Sockets in a room on this API node. */
  localCount(room: string): number {
    return this.namespace?.adapter.rooms.get(room)?.size ?? 0;
  }

  /** Sockets in a room on every API node (several nodes: asked of the others through the Redis adapter). */
  async count(room: string): Promise<number> {
    return (await this.namespace?.in(room).fetchSockets())?.length ?? 0;
  }

  private send<E extends ServerEventName>(room: string, name: E, payload: ServerEvents[E]): void {
    this.namespace?.to(room).emit(name, payload);
  }
}
