import type { INestApplication } from '@nestjs/common';
import { RESERVED_SLUGS, type UiLanguage } from '@pressroom/protocol';
import express, { type NextFunction, type Request, type Response } from 'express';
import expressStaticGzip from 'express-static-gzip';
import { existsSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { setPageHeaders } from '../common/page-headers';
import { requestLanguage } from '../i18n/request-language';

/** The front ends in WEB_DIR and the paths they answer; the viewer takes every other one-segment path. */
const APPS = [
  { name: 'console', path: '/console' },
  { name: 'studio', path: '/studio' },
] as const;
const VIEWER_ASSETS_PATH = '/assets';
const RESERVED_SEGMENTS = new Set(RESERVED_SLUGS);
/** esbuild's and Angular's content-hashed names: `main-Z5ILWR26.js`, `chunk-4ZQKXZ7B.js` (and their `.br`, `.gz`). */
const HASHED_FILE = /-[A-Z0-9]{8}\.(js|css|woff2|svg|png)(\.br|\.gz)?$/;
/** The variants the builds write beside each page, script and style sheet (scripts/precompress.ts), best first. */
const PRECOMPRESSED = [
  { encoding: 'br', extension: '.br' },
  { encoding: 'gzip', extension: '.gz' },
] as const;

const HASHED_CACHE = 'public, max-age=31536000, immutable';
const OTHER_FILE_CACHE = 'public, max-age=3600';

/**
 * Serves the production builds of the viewer (`/`, `/:slug`), the console (`/console`) and the speaker
 * studio (`/studio`) from one origin. Pages are revalidated on every load so a new release shows at once;
 * hashed assets are cached for a year by browsers and CDNs. Pages, scripts and style sheets go out as the
 * build's Brotli or gzip variant when the browser accepts one (`Vary: Accept-Encoding`); a file without
 * variants is compressed on the fly (`compressResponses`).
 */
export function serveFrontends(app: INestApplication, webDir: string, eventLanguage: EventLanguage): void {
  for (const { name, path } of APPS) {
    const dir = join(webDir, name);
    app.use(path, staticFiles(dir, { redirect: false }));
    app.use(path, singlePageApp(join(dir, 'index.html'), name));
  }
  const viewerDir = join(webDir, 'viewer');
  app.use(VIEWER_ASSETS_PATH, staticFiles(join(viewerDir, 'assets'), { fallthrough: false }));
  app.use(viewerPage(viewerDir, eventLanguage));
}

function staticFiles(dir: string, options: { redirect?: boolean; fallthrough?: boolean }) {
  // Without the directory (nothing built yet) there is nothing to serve: the pages say how to build.
  if (!existsSync(dir)) return express.static(dir, { index: false, ...options });
  return expressStaticGzip(dir, {
    enableBrotli: true,
    orderPreference: ['br', 'gzip'],
    index: false,
    serveStatic: { index: false, ...options, setHeaders: setAssetCacheHeaders },
  });
}

function setAssetCacheHeaders(res: ServerResponse, path: string): void {
  res.setHeader('Cache-Control', HASHED_FILE.test(path) ? HASHED_CACHE : OTHER_FILE_CACHE);
}

/** Client-side routes (`/console/events/…`) get the app's page; missing files (`….js`) stay 404. */
function singlePageApp(indexFile: string, name: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!isPageRequest(req) || /\.[a-z0-9]+$/i.test(req.path)) return next();
    sendPage(req, res, next, indexFile, name);
  };
}

/** The language an event's pages open in, by its slug (null: each visitor's own, or no such event). */
export type EventLanguage = (slug: string) => Promise<UiLanguage | null>;

/**
 * The event page in its language (the build writes `index.<language>.html` for each, already in it): the
 * visitor's own pick from the language menu (a cookie), else the event's language, else the browser's
 * (Accept-Language), else English. The page's script keeps it in step with the menu from then on.
 */
function viewerPage(viewerDir: string, eventLanguage: EventLanguage) {
  return (req: Request, res: Response, next: NextFunction) => {
    const segments = req.path.split('/').filter(Boolean);
    const isEventPath = segments.length === 1 && !RESERVED_SEGMENTS.has(segments[0]) && !segments[0].includes('.');
    if (!isPageRequest(req) || (segments.length > 0 && !isEventPath)) return next();
    const slug = isEventPath ? decodeSegment(segments[0]!) : null;
    (slug ? eventLanguage(slug) : Promise.resolve(null)).then(
      (event) => {
        const language = requestLanguage(req, res, event);
        const page = join(viewerDir, `index.${language}.html`);
        sendPage(req, res, next, existsSync(page) ? page : join(viewerDir, 'index.html'), 'viewer');
      },
      (error: unknown) => next(error),
    );
  };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function isPageRequest(req: Request): boolean {
  return req.method === 'GET' || req.method === 'HEAD';
}

function sendPage(req: Request, res: Response, next: NextFunction, indexFile: string, name: string): void {
  setPageHeaders(res, name === 'viewer');
  res.vary('Accept-Encoding');
  const variant = precompressedVariant(req, indexFile);
  if (variant) {
    res.type('html');
    res.setHeader('Content-Encoding', variant.encoding);
  }
  res.sendFile(indexFile + (variant?.extension ?? ''), (error?: NodeJS.ErrnoException) => {
    if (!error || res.headersSent) return;
    res.removeHeader('Content-Encoding');
    if (error.code !== 'ENOENT') return next(error);
    res
      .status(503)
      .type('text/plain')
      .send(`The ${name} is not built. Run "npm run build:web" (npm start does it) and reload.`);
  });
}

/**
 * The build's variant of a page this browser accepts, Brotli before gzip (as for scripts: browsers list
 * `gzip, deflate, br` with equal weight).
 */
function precompressedVariant(req: Request, file: string): (typeof PRECOMPRESSED)[number] | undefined {
  return PRECOMPRESSED.find(
    ({ encoding, extension }) => req.acceptsEncodings(encoding) === encoding && existsSync(file + extension),
  );
}
