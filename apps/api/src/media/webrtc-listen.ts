import { networkInterfaces } from 'node:os';
import type { Environment } from '../config/environment';

export interface WebRtcListen {
  ip: string;
  announcedIp?: string;
}

/** Listening on every address needs one to announce: the configured one, else this machine's first public-facing IPv4. */
export function webRtcListen(environment: Environment): WebRtcListen {
  const ip = environment.RTC_LISTEN_IP;
  if (environment.RTC_ANNOUNCED_IP) return { ip, announcedIp: environment.RTC_ANNOUNCED_IP };
  if (ip !== '0.0.0.0') return { ip };
  const external = Object.values(networkInterfaces())
    .flat()
    .find((address) => address && address.family === 'IPv4' && !address.internal);
  return { ip, announcedIp: external?.address ?? '127.0.0.1' };
}
