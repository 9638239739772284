import type { IncomingMessage } from 'node:http';
import { isTrustProxy, trustProxySetting } from '../config/settings';
import { isFromLoopback } from './client-address';

const request = (remoteAddress: string, headers: Record<string, string> = {}) =>
  ({ headers, connection: { remoteAddress }, socket: { remoteAddress } }) as unknown as IncomingMessage;

describe('TRUST_PROXY', () => {
  it('reads off, hop counts and address lists as Express does', () => {
    expect(trustProxySetting(undefined)).toBe(false);
    expect(trustProxySetting('false')).toBe(false);
    expect(trustProxySetting('1')).toBe(1);
    expect(trustProxySetting('loopback, 10.0.0.0/8 ,192.168.1.7')).toEqual(['loopback', '10.0.0.0/8', '192.168.1.7']);
  });

  it('refuses `true` and addresses that are none', () => {
    expect(isTrustProxy('true')).toBe(false);
    expect(isTrustProxy('10.0.0.300')).toBe(false);
    expect(isTrustProxy('loopback,fd00::/8')).toBe(true);
  });
});

describe('isFromLoopback', () => {
  it('needs the connection and every forwarded address on this machine', () => {
    expect(isFromLoopback(request('127.0.0.1'))).toBe(true);
    expect(isFromLoopback(request('::ffff:127.0.0.1', { 'x-forwarded-for': '127.0.0.1, ::1' }))).toBe(true);
    expect(isFromLoopback(request('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' }))).toBe(false);
    expect(isFromLoopback(request('127.0.0.1', { 'x-forwarded-for': 'junk' }))).toBe(false);
    expect(isFromLoopback(request('127.0.0.1', { 'x-real-ip': '203.0.113.9' }))).toBe(false);
    expect(isFromLoopback(request('203.0.113.9', { 'x-forwarded-for': '127.0.0.1' }))).toBe(false);
  });
});
