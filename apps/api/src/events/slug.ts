import { randomBytes } from 'node:crypto';

/** A readable slug from a title, with a short random suffix so two "Press briefing"s do not collide. */
export function slugFromTitle(title: string): string {
  const base = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  const suffix = randomBytes(3).toString('hex');
  return base.length > 0 ? `${base}-${suffix}` : `event-${suffix}`;
}
