import type { Role } from '@pressroom/protocol';

/** socket.io room names: every socket joins its event, its role within the event, and its participant. */
export const rooms = {
  event: (eventId: string) => `event:${eventId}`,
  role: (eventId: string, role: Role) => `event:${eventId}:${role}`,
  participant: (participantId: string) => `participant:${participantId}`,
  /** The sockets that joined the studio of an event. */
  studio: (eventId: string) => `studio:${eventId}`,
};
