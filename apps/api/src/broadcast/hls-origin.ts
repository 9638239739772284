import { Injectable, Logger, Optional } from '@nestjs/common';
import type { ErrorCode, HttpErrorBody } from '@pressroom/protocol';
import type { IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from 'node:http';
import { Counter } from 'prom-client';
import { hlsPassOf } from '../access/hls-pass';
import { AppError } from '../common/app-error';
import { MediaPlacement } from '../media/media-placement';
import { BroadcastService, type HlsFile } from './broadcast.service';
import { HlsAccess, type HlsViewer } from './hls-access';
import { hlsFileKind } from './hls-files';
import { hotSegments, publishedPlaylists, type PublishedPlaylist } from './published-playlists';
import { slateFileKind } from './slate/slate-loop';

const PREFIX = '/hls/';
const HSTS = 'max-age=31536000';

export const hlsResponses = new Counter({
  name: 'pressroom_hls_responses_total',
  help: 'Answers of /hls/ (playlists, init segments, segments), by kind and HTTP status',
  labelNames: ['kind', 'status'] as const,
});

/**
 * `/hls/:slug/:file`, the broadcast as HLS, answered before Express and Nest see the request: every
 * viewer asks for the playlist every segment and for each segment, so this path has its own lean
 * handler. Same rules as the rest of the API (hls-access.ts: a password-protected event needs the stream
 * pass and is `private` to caches; a public one answers `Access-Control-Allow-Origin: *`), same names
 * (hls-files.ts), same error bodies; but playlists come from memory (published-playlists.ts: written by
 * the broadcast, compressed once per version, `ETag` and `Last-Modified`), segments from memory once read
 * from disk (the latest ones, which every viewer asks for: published-playlists.ts's HotSegments), and only errors are logged (the counter `pressroom_hls_responses_total` counts the
 * rest). Anything else under `/hls/` (another method, another depth) goes on to Express as before.
 */
@Injectable()
export class HlsOrigin {
  readonly #logger = new Logger('HlsOrigin');
  #hsts = false;

  constructor(
    private readonly broadcasts: BroadcastService,
    private readonly access: HlsAccess,
    /** Several API nodes: an event another node holds is streamed from it (one encoder per event). */
    @Optional() private readonly placement?: MediaPlacement,
  ) {}

  /** Answers `/hls/` on `server` ahead of its other request listeners (Express). `https`: send HSTS. */
  attach(server: Server, https: boolean): void {
    this.#hsts = https;
    const others = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (!this.handles(req, res)) for (const listener of others) listener.call(server, req, res);
    });
  }

  /** Takes the request if it is one of ours (GET or HEAD of `/hls/:slug/:file`). */
  handles(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url;
    if (!url?.startsWith(PREFIX) || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
    const query = url.indexOf('?');
    const path = url.slice(PREFIX.length, query === -1 ? undefined : query);
    const slash = path.indexOf('/');
    if (slash <= 0 || slash === path.length - 1 || path.indexOf('/', slash + 1) !== -1) return false;
    let slug: string;
    let file: string;
    try {
      slug = decodeURIComponent(path.slice(0, slash));
      file = decodeURIComponent(path.slice(slash + 1));
    } catch {
      this.#fail(res, 'other', new AppError('bad_request', 'Malformed path'), {});
      return true;
    }
    void this.#serve(req, res, slug, file);
    return true;
  }

  async #serve(req: IncomingMessage, res: ServerResponse, slug: string, file: string): Promise<void> {
    // A slate's segments count as segments (its names are not the broadcast's).
    const kind = hlsFileKind(file) ?? slateFileKind(file) ?? 'other';
    if (this.placement && (await this.placement.proxyHls(slug, req, res).catch(() => false))) return;
    const headers: OutgoingHttpHeaders = {};
    if (this.#hsts) headers['Strict-Transport-Security'] = HSTS;
    try {
      const viewer = await this.access.check(slug, hlsPassOf(req, slug));
      // A public stream may be played by any site's own player (Shaka, video.js); a password-protected one
      // only by this origin's page, which holds the pass.
      if (!viewer.private) headers['Access-Control-Allow-Origin'] = '*';
      const served = await this.broadcasts.hlsFile(slug, file, viewer);
      headers['Content-Type'] = served.contentType;
      headers['Cache-Control'] = cacheControlFor(served, viewer);
      headers['X-Content-Type-Options'] = 'nosniff';
      const status =
        'body' in served
          ? this.#send(req, res, publishedPlaylists.made(`made:${slug}/${file}`, served.body), headers)
          : changes(served)
            ? await this.#playlist(req, res, served, headers)
            : await this.#file(req, res, served, headers);
      hlsResponses.inc({ kind, status });
    } catch (error) {
      this.#fail(res, kind, error, headers);
    }
  }

  /**
   * From memory, in the encoding the client prefers. A blocking reload (`?_HLS_msn=N`, which live media
   * playlists allow: `#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES`) is answered once segment N is listed,
   * or after three target durations with the playlist as it is.
   */
  async #playlist(
    req: IncomingMessage,
    res: ServerResponse,
    served: HlsFile & { path: string },
    headers: OutgoingHttpHeaders,
  ) {
    let playlist = await publishedPlaylists.get(served.path);
    if (!playlist) throw new AppError('not_found', 'File not found');
    const msn = blockingReloadOf(req.url);
    if (msn !== undefined && !playlist.sequence.ended && playlist.sequence.last < msn) {
      // RFC 8216bis 6.2.5.2: more than two segments ahead of the last one listed is a client's error.
      if (msn > playlist.sequence.last + 2) {
        throw new AppError('bad_request', `_HLS_msn ${msn} is more than two segments after the last one listed`);
      }
      playlist = (await publishedPlaylists.when(served.path, msn, 3_000 * playlist.sequence.targetSeconds)) ?? playlist;
    }
    return this.#send(req, res, playlist, headers);
  }

  /** One version of a playlist, in the encoding the client prefers; 304 when the client has it. */
  #send(req: IncomingMessage, res: ServerResponse, playlist: PublishedPlaylist, headers: OutgoingHttpHeaders) {
    headers.Vary = 'Accept-Encoding';
    headers.ETag = playlist.etag;
    headers['Last-Modified'] = playlist.lastModified;
    if (req.headers['if-none-match'] === playlist.etag) {
      res.writeHead(304, headers).end();
      return 304;
    }
    const { encoding, body } = playlist.body(req.headers['accept-encoding']);
    if (encoding !== 'identity') headers['Content-Encoding'] = encoding;
    headers['Content-Length'] = body.length;
    res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : body);
    return 200;
  }

  /** Init segments and segments: from memory once read (they never change once listed), ranges too. */
  async #file(
    req: IncomingMessage,
    res: ServerResponse,
    served: HlsFile & { path: string },
    headers: OutgoingHttpHeaders,
  ) {
    const file = await hotSegments.get(served.path);
    if (!file) throw new AppError('not_found', 'File not found');
    const size = file.body.length;
    headers.ETag = file.etag;
    headers['Last-Modified'] = file.lastModified;
    headers['Accept-Ranges'] = 'bytes';
    if (req.headers['if-none-match'] === file.etag) {
      res.writeHead(304, headers).end();
      return 304;
    }
    const range = byteRange(req.headers.range, size);
    if (range === 'unsatisfiable') {
      headers['Content-Range'] = `bytes */${size}`;
      res.writeHead(416, headers).end();
      return 416;
    }
    const [start, end] = range ?? [0, size - 1];
    if (range) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
    const body = range ? file.body.subarray(start, end + 1) : file.body;
    headers['Content-Length'] = body.length;
    res.writeHead(range ? 206 : 200, headers).end(req.method === 'HEAD' ? undefined : body);
    return range ? 206 : 200;
  }

  #fail(res: ServerResponse, kind: string, error: unknown, headers: OutgoingHttpHeaders): void {
    let body: HttpErrorBody;
    if (error instanceof AppError) body = error.getResponse() as HttpErrorBody;
    else {
      this.#logger.error(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      body = { statusCode: 500, error: 'internal' satisfies ErrorCode, message: 'Something went wrong on the server' };
    }
    hlsResponses.inc({ kind, status: body.statusCode });
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const json = Buffer.from(JSON.stringify(body));
    for (const name of ['Content-Type', 'Cache-Control', 'X-Content-Type-Options', 'ETag', 'Last-Modified', 'Vary']) {
      delete headers[name];
    }
    res
      .writeHead(body.statusCode, {
        ...headers,
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': json.length,
        'Cache-Control': 'no-store',
      })
      .end(json);
  }
}

/**
 * A file that changes in place (the playlists, `program.json`): read again each second, never kept as a
 * segment is (segments never change once written).
 */
const changes = (served: HlsFile) => served.kind === 'playlist' || served.kind === 'program';

/** A password-protected stream must not sit in a shared cache (a CDN) for everyone to fetch. */
/** `?_HLS_msn=12` (a blocking playlist reload): 12; absent or not a sequence number: undefined. */
function blockingReloadOf(url: string | undefined): number | undefined {
  const query = url?.indexOf('?') ?? -1;
  if (query === -1) return undefined;
  const value = new URLSearchParams(url!.slice(query + 1)).get('_HLS_msn');
  return value !== null && /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}

function cacheControlFor(served: HlsFile, viewer: HlsViewer): string {
  return viewer.private ? served.cacheControl.replace('public', 'private') : served.cacheControl;
}

/** One `bytes=a-b` range (players ask no more); undefined: the whole file. */
function byteRange(header: string | undefined, size: number): [number, number] | 'unsatisfiable' | undefined {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  return start > end || start >= size ? 'unsatisfiable' : [start, end];
}
