import { join, resolve } from 'node:path';
import { notFound } from '../common/app-error';

const EVENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Where every event's broadcast files go (HLS, its recording): `MEDIA_DIR/broadcasts/<event id>/`. */
export const broadcastsRoot = (mediaDir: string): string => resolve(mediaDir, 'broadcasts');

/** Whether a directory under the root can be an event's. */
export const isEventDirName = (name: string): boolean => EVENT_ID.test(name);

export function eventDir(root: string, eventId: string): string {
  if (!isEventDirName(eventId)) throw notFound('Event');
  return join(root, eventId);
}
