import { createSocket } from 'node:dgram';
import { canBindPair, PortAllocator } from './port-allocator';

const always = async () => true;

describe('PortAllocator', () => {
  it('hands out even RTP ports (RTCP is the next one) and goes round the range', async () => {
    const ports = new PortAllocator(50001, 50009, always);
    expect([await ports.allocate(), await ports.allocate(), await ports.allocate()]).toEqual([50002, 50004, 50006]);
    ports.release(50002);
    // Not the pair just released: packets for the old FFmpeg may still be on their way.
    expect(await ports.allocate()).toBe(50008);
    expect(await ports.allocate()).toBe(50002);
    await expect(ports.allocate()).rejects.toThrow(/no free broadcast ports/);
    expect(ports.inUse).toBe(4);
  });

  it('skips pairs something else on the machine holds', async () => {
    const held = new Set([50000, 50002]);
    const ports = new PortAllocator(50000, 50009, async (port) => !held.has(port));
    expect(await ports.allocate()).toBe(50004);
    expect(ports.inUse).toBe(1);
  });

  it('refuses a range without a whole pair', () => {
    expect(() => new PortAllocator(50001, 50002, always)).toThrow(/no RTP\/RTCP pair/);
  });

  it('probes with real sockets: a bound port is not free', async () => {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    const taken = socket.address().port;
    try {
      expect(await canBindPair(taken % 2 === 0 ? taken : taken - 1)).toBe(false);
    } finally {
      socket.close();
    }
  });
});
