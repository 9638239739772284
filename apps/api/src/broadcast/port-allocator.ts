import { createSocket } from 'node:dgram';

/** Answers whether FFmpeg could bind `port` and `port + 1` on 127.0.0.1 right now. */
export type PortPairProbe = (port: number) => Promise<boolean>;

/**
 * Hands out even RTP ports (RTCP is the port after) from BROADCAST_MIN_PORT..BROADCAST_MAX_PORT for
 * FFmpeg's inputs. It goes round the range rather than reusing the lowest free pair, so a pair just
 * released is not handed out while packets for the old FFmpeg may still arrive, and it skips pairs
 * that something else on the machine holds (another Pressroom, a test server).
 */
export class PortAllocator {
  readonly #first: number;
  readonly #pairs: number;
  readonly #inUse = new Set<number>();
  readonly #probe: PortPairProbe;
  #cursor = 0;

  constructor(min: number, max: number, probe: PortPairProbe = canBindPair) {
    this.#first = min % 2 === 0 ? min : min + 1;
    this.#pairs = Math.floor((max - this.#first + 1) / 2);
    if (this.#pairs < 1) throw new Error(`broadcast port range ${min}-${max} holds no RTP/RTCP pair`);
    this.#probe = probe;
  }

  get inUse(): number {
    return this.#inUse.size;
  }

  /** The RTP port of a free pair; throws when the whole range is taken. */
  async allocate(): Promise<number> {
    for (let tried = 0; tried < this.#pairs; tried++) {
      const port = this.#first + 2 * this.#cursor;
      this.#cursor = (this.#cursor + 1) % this.#pairs;
      if (this.#inUse.has(port)) continue;
      this.#inUse.add(port);
      if (await this.#probe(port)) return port;
      this.#inUse.delete(port);
    }
    throw new Error('no free broadcast ports: widen BROADCAST_MIN_PORT..BROADCAST_MAX_PORT');
  }

  release(port: number): void {
    this.#inUse.delete(port);
  }
}

export async function canBindPair(port: number): Promise<boolean> {
  const sockets = [createSocket('udp4'), createSocket('udp4')];
  try {
    await Promise.all(
      sockets.map(
        (socket, offset) =>
          new Promise<void>((resolve, reject) => {
            socket.once('error', reject);
            socket.bind(port + offset, '127.0.0.1', () => resolve());
          }),
      ),
    );
    return true;
  } catch {
    return false;
  } finally {
    for (const socket of sockets) {
      try {
        socket.close();
      } catch {
        // never bound
      }
    }
  }
}
