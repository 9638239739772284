import type { Role } from '@pressroom/protocol';

/** Who is behind a realtime connection, resolved once from the access token at connect. */
export interface Session {
  participantId: string;
  eventId: string;
  role: Role;
  name: string | null;
  outlet: string | null;
  /** A captioner's or interpreter's language, from their invite (null for everyone else). */
  language?: string | null;
}
