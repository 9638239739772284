import type { NextFunction, Request, Response } from 'express';
import type { HttpErrorBody } from '@pressroom/protocol';
import { timingSafeEqual } from 'node:crypto';
import type { EndpointAccess } from '../config/settings';
import { isFromLoopback } from './client-address';

export interface EndpointAccessOptions {
  /** What the endpoint is, for the refusal message ("Metrics"). */
  label: string;
  metricsToken?: string;
  isModerator: (bearer: string) => Promise<boolean>;
}

const WHO: Record<Exclude<EndpointAccess, 'public' | 'off'>, string> = {
  loopback: 'this machine or the metrics token',
  token: 'the metrics token',
  moderator: 'moderators or the metrics token',
};

/** Express middleware that lets a request through to the endpoint only when `access` allows it. */
export function endpointAccess(access: EndpointAccess, options: EndpointAccessOptions) {
  const refuse = (res: Response, statusCode: 403 | 404, message: string) => {
    const body: HttpErrorBody = { statusCode, error: statusCode === 404 ? 'not_found' : 'forbidden', message };
    res.status(statusCode).setHeader('Cache-Control', 'no-store').json(body);
  };
  return (req: Request, res: Response, next: NextFunction): void => {
    if (access === 'public') return next();
    if (access === 'off') return refuse(res, 404, 'Not found');
    const bearer = bearerOf(req);
    if (bearer !== undefined && options.metricsToken !== undefined && sameSecret(bearer, options.metricsToken))
      return next();
    if (access === 'loopback' && isFromLoopback(req)) return next();
    const refused = () => refuse(res, 403, `${options.label} are open to ${WHO[access]} only`);
    if (access !== 'moderator' || bearer === undefined) return refused();
    options.isModerator(bearer).then((ok) => (ok ? next() : refused()), refused);
  };
}

function bearerOf(req: Request): string | undefined {
  const [scheme, token] = (req.headers.authorization ?? '').split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token : undefined;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
