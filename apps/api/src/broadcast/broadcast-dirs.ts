import { chmod, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { notFound } from '../common/app-error';

const EVENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Where every event's broadcast files go (HLS, its recording): `MEDIA_DIR/broadcasts/<event id>/`. */
export const broadcastsRoot = (mediaDir: string): string => resolve(mediaDir, 'broadcasts');

/** MEDIA_DIR and the directories under it: recordings show names and questions, for the service's user only. */
export const MEDIA_DIR_MODE = 0o700;

/** Creates MEDIA_DIR and its broadcasts root for the service's user only; an older install's are restricted. */
export async function prepareMediaDir(mediaDir: string): Promise<void> {
  const root = broadcastsRoot(mediaDir);
  await mkdir(root, { recursive: true, mode: MEDIA_DIR_MODE });
  for (const dir of [resolve(mediaDir), root]) await chmod(dir, MEDIA_DIR_MODE);
}

/** The broadcast's work files (FFmpeg's inputs: pictures, texts, SDPs) are in `work/` of its directory. */
export const WORK_FILES = { dir: 'work' } as const;

/** Whether a directory under the root can be an event's. */
export const isEventDirName = (name: string): boolean => EVENT_ID.test(name);

export function eventDir(root: string, eventId: string): string {
  if (!isEventDirName(eventId)) throw notFound('Event');
  return join(root, eventId);
}
