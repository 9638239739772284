import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';

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

/** Express's compiled `trust proxy` rule: is the address `hop` steps back from the server a trusted proxy? */
export type TrustFunction = (address: string, hop: number) => boolean;

/** The client's address by the trust rule: walking back from the connection, the first untrusted address. */
export function clientAddress(request: IncomingMessage, trust: TrustFunction): string {
  return proxyAddr(request, trust);
}

/**
 * Whether the request came from this machine: its connection and every address it was forwarded for
 * (whatever TRUST_PROXY says, so a proxy on this machine cannot make the world look local).
 */
export function isFromLoopback(request: IncomingMessage): boolean {
  const realIp = request.headers['x-real-ip'];
  const addresses = [...proxyAddr.all(request), ...(typeof realIp === 'string' ? [realIp.trim()] : [])];
  return addresses.every(isLoopback);
}

const LOOPBACK = proxyAddr.compile('loopback');
const isLoopback = (address: string) => LOOPBACK(address, 0);
