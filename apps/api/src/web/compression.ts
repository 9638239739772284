import type { INestApplication } from '@nestjs/common';
import compression from 'compression';
import type { Request, Response } from 'express';

/** Media is compressed already: segments, init segments and the MP4 recording go out as they are (ranges intact). */
const MEDIA_PATH = /\.(m4s|mp4)$/i;
const MEDIA_TYPE = /^(video|audio)\//i;
/** HLS playlists are text, but not in the compressible list the middleware knows. */
const PLAYLIST_TYPE = /^(application\/vnd\.apple\.mpegurl|application\/x-mpegurl|audio\/mpegurl)\b/i;
/** Below this a response gains too little to be worth the CPU (a short playlist is about 300 bytes). */
const THRESHOLD_BYTES = 256;

/**
 * Compresses dynamic answers (JSON, HLS playlists, a page or script the build has no variant of) with
 * Brotli or gzip when the client accepts it, and adds `Vary: Accept-Encoding`. Files the build
 * precompressed are already encoded and go out untouched; socket.io answers on the HTTP server before
 * Express and compresses its own polling.
 */
export function compressResponses(app: INestApplication): void {
  app.use(compression({ threshold: THRESHOLD_BYTES, filter: shouldCompress }));
}

function shouldCompress(req: Request, res: Response): boolean {
  if (MEDIA_PATH.test(req.path)) return false;
  const type = String(res.getHeader('Content-Type') ?? '');
  if (PLAYLIST_TYPE.test(type)) return true;
  if (MEDIA_TYPE.test(type)) return false;
  return compression.filter(req, res);
}
