import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';

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
