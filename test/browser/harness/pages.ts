import type { INestApplication } from '@nestjs/common';
import { build } from 'esbuild';
import express from 'express';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const FIXTURES = join(__dirname, '..', 'fixtures');
const ROOT = resolve(__dirname, '..', '..', '..');

/** Where the test pages are served, same origin as the API. */
export const TEST_PAGES_PATH = '/test-pages';

export interface TestPages {
  dir: string;
  /** Deletes the bundle. */
  remove(): void;
}

/**
 * Bundles pages (`<name>.html` and its `<name>.ts`, with the folder's tsconfig.json) into a temporary
 * directory: by default the browser tests' studio and viewer.
 */
export async function bundleTestPages(
  folder: string = FIXTURES,
  pages: readonly string[] = ['studio', 'viewer'],
): Promise<TestPages> {
  const dir = mkdtempSync(join(tmpdir(), 'pressroom-pages-'));
  await build({
    entryPoints: pages.map((page) => join(folder, `${page}.ts`)),
    outdir: dir,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome111',
    sourcemap: 'linked',
    tsconfig: join(folder, 'tsconfig.json'),
    alias: {
      '@pressroom/protocol': join(ROOT, 'libs/protocol/src/index.ts'),
      '@pressroom/live-client': join(ROOT, 'libs/live-client/src/index.ts'),
    },
    logLevel: 'silent',
  });
  for (const page of pages) copyFileSync(join(folder, `${page}.html`), join(dir, `${page}.html`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Serves the bundle from the running app under `/test-pages`, with no change to the app. Nest answers
 * every path it has no route for with a 404 of its own, so a middleware added after start-up is never
 * reached: instead, the pages sit in front of the HTTP server's request listeners (as socket.io does).
 */
export function mountTestPages(app: INestApplication, pages: TestPages): void {
  const httpServer = app.getHttpServer() as Server;
  const serve = express.static(pages.dir, { fallthrough: false });
  const appListeners = httpServer.listeners('request') as RequestListener[];
  httpServer.removeAllListeners('request');
  httpServer.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (!request.url?.startsWith(`${TEST_PAGES_PATH}/`)) {
      for (const listener of appListeners) listener.call(httpServer, request, response);
      return;
    }
    request.url = request.url.slice(TEST_PAGES_PATH.length);
    serve(request as express.Request, response as express.Response, (error?: unknown) => {
      response.statusCode = (error as { status?: number } | undefined)?.status ?? 404;
      response.end();
    });
  });
}
