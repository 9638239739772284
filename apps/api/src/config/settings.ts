import proxyAddr from 'proxy-addr';

/** Settings whose rules the environment's validation and the code that applies them share. */

/**
 * `TRUST_PROXY` as Express's `trust proxy` setting: `false` (off: the connection's own address), a
 * number of proxy hops, or the proxies' addresses, CIDR ranges and names (`loopback`, `uniquelocal`, …).
 */
export type TrustProxySetting = false | number | string[];

export function trustProxySetting(value: string | undefined): TrustProxySetting {
  const text = value?.trim() ?? '';
  if (text === '' || text === 'false') return false;
  if (/^\d+$/.test(text)) return Number(text);
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** Whether `value` is a valid TRUST_PROXY (`true` is not: it would believe any client's X-Forwarded-For). */
export function isTrustProxy(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const setting = trustProxySetting(value);
    if (Array.isArray(setting)) proxyAddr.compile(setting);
    return true;
  } catch {
    return false;
  }
}

/**
 * Who may read an operator endpoint (`/metrics`, `/api/docs`):
 * - `loopback`: requests from this machine, or with the metrics token;
 * - `token`: only with the metrics token;
 * - `moderator`: a signed-in moderator's bearer token, or the metrics token;
 * - `public`: anyone; `off`: nobody (404).
 */
export const ENDPOINT_ACCESS = ['loopback', 'token', 'moderator', 'public', 'off'] as const;
export type EndpointAccess = (typeof ENDPOINT_ACCESS)[number];

/** Whether people reach this server over https (PUBLIC_URL): HSTS and Secure cookies then. */
export function isHttps(environment: { PUBLIC_URL?: string }): boolean {
  return environment.PUBLIC_URL?.toLowerCase().startsWith('https:') ?? false;
}

/** `TURN_URLS` as a list: comma-separated `turn:` / `turns:` URLs. */
export function turnUrls(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean);
}

/** RFC 7065: `turn:` or `turns:`, a host name or address (IPv6 in brackets), an optional port and transport. */
const TURN_URL = /^turns?:(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?(\?transport=(udp|tcp))?$/i;

export function isTurnUrls(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const urls = turnUrls(value);
  return urls.length > 0 && urls.every((url) => TURN_URL.test(url));
}
