import { plainToInstance, Type } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  ValidateIf,
  validateSync,
} from 'class-validator';
import { DEFAULT_HLS_LADDER, parseLadder } from '@pressroom/protocol';
import { ENDPOINT_ACCESS, isTrustProxy, isTurnUrls, type EndpointAccess } from './settings';

/**
 * Every environment variable Pressroom reads, with its default. Only `main.ts` reads `process.env`
 * and hands it to `validateEnvironment`.
 */
export class Environment {
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 8080;

  @IsString()
  HOST = '0.0.0.0';

  /** `sqlite:<path>` or `postgres://user:pass@host/db`. */
  @Matches(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, { message: 'DATABASE_URL must be sqlite:<path> or postgres://…' })
  DATABASE_URL = 'sqlite:data/pressroom.sqlite';

  /** Where people reach this server; used in invite links. Defaults to http://localhost:PORT. */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  PUBLIC_URL?: string;

  @IsOptional()
  @IsEmail()
  PRESSROOM_ADMIN_EMAIL?: string;

  @IsOptional()
  @IsString()
  @MinLength(8)
  PRESSROOM_ADMIN_PASSWORD?: string;

  /** Signs access tokens and invites. Generated and stored in the database when not given. */
  @IsOptional()
  @IsString()
  @MinLength(32)
  PRESSROOM_SECRET?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** `pretty` (one readable line per entry) or `json` (one object per line); unset: pretty on a terminal. */
  @IsOptional()
  @IsIn(['pretty', 'json'])
  LOG_FORMAT?: 'pretty' | 'json';

  /** How often the purge looks for events past their retention. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  PURGE_INTERVAL_SECONDS = 60;

  /** Chat messages one person may send per CHAT_RATE_WINDOW_SECONDS. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  CHAT_RATE_LIMIT = 5;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  CHAT_RATE_WINDOW_SECONDS = 10;

  /** Questions one journalist may ask per QUESTION_RATE_WINDOW_SECONDS. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  QUESTION_RATE_LIMIT = 3;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  QUESTION_RATE_WINDOW_SECONDS = 60;

  /** Realtime messages one socket may send per second, whatever they are (flood guard). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  SOCKET_MESSAGES_PER_SECOND = 50;

  /** Audience joins one IP address may make per minute. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  JOIN_RATE_LIMIT_PER_MINUTE = 120;

  /** Login attempts one IP address may make per minute. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  LOGIN_RATE_LIMIT_PER_MINUTE = 10;

  /** Hours an audience or speaker access token stays valid. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  ACCESS_TOKEN_HOURS = 48;

  /** Redis for realtime fan-out across several API nodes (`redis://host:6379`); one node needs none. */
  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be redis://…' })
  REDIS_URL?: string;

  /** With REDIS_URL: the address at which the other API nodes reach this one (its studio and /hls/); default http://127.0.0.1:PORT. */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  NODE_URL?: string;

  /** mediasoup workers (one process each); 0 = one per CPU core. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  MEDIASOUP_WORKERS = 0;

  // --- WebRTC media: one UDP and one TCP port per worker, optional TURN ---

  /** The UDP and TCP port of WebRTC media (worker i on RTC_PORT + i, or the next free port above when another node holds it): open these in the firewall. 0: any free port of RTC_MIN_PORT…RTC_MAX_PORT. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  RTC_PORT = 40000;

  /** Ports the workers take for local RTP to FFmpeg (loopback only), and for WebRTC when RTC_PORT is 0. */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(65535)
  RTC_MIN_PORT = 40100;

  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(65535)
  RTC_MAX_PORT = 49999;

  /** Address the workers listen on for WebRTC. */
  @IsString()
  RTC_LISTEN_IP = '0.0.0.0';

  /** Address given to browsers in ICE candidates; by default this machine's first non-internal IPv4 address. */
  @IsOptional()
  @IsString()
  RTC_ANNOUNCED_IP?: string;

  /** TURN servers for studio browsers whose network lets no media through: comma-separated `turn:`/`turns:` URLs. */
  @IsOptional()
  @ValidateBy({
    name: 'isTurnUrls',
    validator: {
      validate: isTurnUrls,
      defaultMessage: () => 'TURN_URLS must be comma-separated turn: or turns: URLs (turn:host:3478?transport=udp)',
    },
  })
  TURN_URLS?: string;

  /** coturn's `static-auth-secret` (with `use-auth-secret`): signs the studio's time-limited TURN credentials. */
  @ValidateIf((env: Environment) => env.TURN_URLS !== undefined || env.TURN_SECRET !== undefined)
  @IsString({ message: 'TURN_SECRET is required when TURN_URLS is set' })
  @MinLength(16)
  TURN_SECRET?: string;

  /** Seconds a TURN credential stays valid: longer than a stay in the studio (a rejoin gets a new one). */
  @Type(() => Number)
  @IsInt()
  @Min(60)
  TURN_TTL_SECONDS = 86_400;

  /** Local UDP ports FFmpeg receives the studio's RTP on (two per speaker track, RTP and RTCP). */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(65535)
  BROADCAST_MIN_PORT = 50000;

  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(65535)
  BROADCAST_MAX_PORT = 50999;

  /** Where broadcasts (HLS playlists and segments, recordings) are written. */
  @IsString()
  MEDIA_DIR = 'data/media';

  /** The production builds of the viewer, the console and the studio (`npm run build:web`). */
  @IsString()
  WEB_DIR = 'dist';

  @IsString()
  FFMPEG_PATH = 'ffmpeg';

  /**
   * Length of the broadcast's HLS segments (and GOP), seconds. 0.5 (the default) keeps glass-to-glass
   * latency under 2 s on the event page (`npm run bench:latency`); 1 or 2 mean fewer requests, 2–4 s.
   */
  @Type(() => Number)
  @IsIn([0.5, 1, 2], { message: 'HLS_SEGMENT_SECONDS must be 0.5, 1 or 2' })
  HLS_SEGMENT_SECONDS = 0.5;

  /**
   * Seconds of recent segments each live media playlist lists (a sliding window: its size stays the same
   * however long the event): a viewer can pause or seek back this far. After the end the playlist lists
   * the whole recording. At least 6 (the spec wants three target durations).
   */
  @Type(() => Number)
  @IsInt()
  @Min(6)
  @Max(3600)
  HLS_WINDOW_SECONDS = 60;

  /**
   * The broadcast's video renditions by height, from 720, 480, 360 (each with the audio-only one; the
   * continuous engine). Each costs CPU: `720` alone on a small machine (README: the ladder and its cost).
   */
  @ValidateBy({
    name: 'isLadder',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && parseLadder(value) !== undefined,
      defaultMessage: () => 'HLS_LADDER must list distinct heights from 720, 480, 360, e.g. 720,480,360 or 720',
    },
  })
  HLS_LADDER = DEFAULT_HLS_LADDER;

  /** The mediasoup worker binary; by default the one `npm start` built into PRESSROOM_CACHE_DIR. */
  @IsOptional()
  @IsString()
  MEDIASOUP_WORKER_BIN?: string;

  /** Where set-up keeps what it builds outside the repository (the mediasoup worker). */
  @IsOptional()
  @IsString()
  PRESSROOM_CACHE_DIR?: string;

  /** Hours a moderator login stays valid. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  MODERATOR_SESSION_HOURS = 12;

  // --- The journalist on stage ---

  /** Guests on stage (and invitations open) at a time, per event. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(8)
  STAGE_MAX_GUESTS = 1;

  /** Seconds an invitation on stage waits for an answer before it lapses. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  STAGE_INVITE_SECONDS = 60;

  /** Seconds a guest whose connection dropped has to come back before their turn ends. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  STAGE_RECONNECT_SECONDS = 30;

  // --- Restream ---

  /** The certificate authorities an rtmps:// ingest's certificate must chain to: FFmpeg checks it before sending the key. */
  @IsString()
  RESTREAM_CA_FILE = '/etc/ssl/certs/ca-certificates.crt';

  // --- Who runs this server: every page's footer and the privacy notice ---

  /** The organisation running the server, as people should read it. */
  @IsOptional()
  @IsString()
  @MaxLength(120)
  PRESSROOM_OPERATOR_NAME?: string;

  /** An e-mail or postal address for privacy questions. */
  @IsOptional()
  @IsString()
  @MaxLength(300)
  PRESSROOM_OPERATOR_CONTACT?: string;

  /** The operator's full privacy policy (http or https). */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  PRESSROOM_PRIVACY_URL?: string;

  // --- Behind a reverse proxy, and who may see the operator endpoints ---

  /** Proxies whose X-Forwarded-For is believed (Express's `trust proxy`): a hop count, or addresses, CIDRs, `loopback`. */
  @IsOptional()
  @ValidateBy({
    name: 'isTrustProxy',
    validator: {
      validate: isTrustProxy,
      defaultMessage: () => 'TRUST_PROXY must be a number of proxies or a list of addresses, CIDR ranges or loopback',
    },
  })
  TRUST_PROXY?: string;

  /** Live (socket.io) connections one client address may hold at once on one API node. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  LIVE_CONNECTIONS_PER_ADDRESS = 200;

  /** Who may read `/metrics` and `/api/docs`; `loopback` also lets METRICS_TOKEN in. */
  @IsIn(ENDPOINT_ACCESS)
  METRICS_ACCESS: EndpointAccess = 'loopback';

  @IsIn(ENDPOINT_ACCESS)
  API_DOCS_ACCESS: EndpointAccess = 'public';

  /** `Authorization: Bearer <token>` opens `/metrics` and `/api/docs` (unless `off`); required by `token`. */
  @ValidateIf(
    (env: Environment) =>
      env.METRICS_TOKEN !== undefined || [env.METRICS_ACCESS, env.API_DOCS_ACCESS].includes('token'),
  )
  @IsString({ message: 'METRICS_TOKEN is required when METRICS_ACCESS or API_DOCS_ACCESS is token' })
  @MinLength(16)
  METRICS_TOKEN?: string;
}

export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const withoutEmpty = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== ''));
  const env = plainToInstance(Environment, withoutEmpty, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.flatMap((error) => Object.values(error.constraints ?? {}));
    throw new Error(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return env;
}
