import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { ModeratorsService } from './auth/moderators.service';
import { TokensService } from './auth/tokens.service';
import type { Environment } from './config/environment';
import { isHttps, trustProxySetting } from './config/settings';
import { endpointAccess } from './common/endpoint-access';

const HSTS = 'max-age=31536000';

/**
 * What every response of this server holds to, before any route runs:
 * - the client's address (`req.ip`: limits, logs) follows TRUST_PROXY, Express's `trust proxy`;
 * - no `X-Powered-By`; HSTS when PUBLIC_URL is https;
 * - API answers (tokens, invite links, moderator lists) are never stored by a cache unless a route says so;
 * - `/metrics` and `/api/docs` are open only to whom METRICS_ACCESS and API_DOCS_ACCESS say.
 */
export function hardenHttp(app: NestExpressApplication, environment: Environment): void {
  app.set('trust proxy', trustProxySetting(environment.TRUST_PROXY));
  app.disable('x-powered-by');
  const https = isHttps(environment);
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (https) res.setHeader('Strict-Transport-Security', HSTS);
    if (req.path === '/api' || req.path.startsWith('/api/')) res.setHeader('Cache-Control', 'no-store');
    next();
  });

  const tokens = app.get(TokensService);
  const moderators = app.get(ModeratorsService);
  const isModerator = async (bearer: string) => moderators.exists((await tokens.verifyModerator(bearer)).sub);
  const metricsToken = environment.METRICS_TOKEN;
  app.use('/metrics', endpointAccess(environment.METRICS_ACCESS, { label: 'Metrics', metricsToken, isModerator }));
  app.use(
    ['/api/docs', '/api/docs-json', '/api/docs-yaml'],
    endpointAccess(environment.API_DOCS_ACCESS, { label: 'API docs', metricsToken, isModerator }),
  );
}
