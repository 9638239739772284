import { createSocket } from 'node:dgram';

/** Two free UDP ports in a row on 127.0.0.1 (RTP, then RTCP), as mediasoup's PlainTransport sends to. */
export async function freeUdpPortPair(): Promise<number> {
  for (;;) {
    const port = 40_000 + 2 * Math.floor(Math.random() * 5_000);
    const free = await Promise.all(
      [port, port + 1].map(
        (candidate) =>
          new Promise<boolean>((resolve) => {
            const socket = createSocket('udp4');
            socket.once('error', () => resolve(false));
            socket.bind(candidate, '127.0.0.1', () => socket.close(() => resolve(true)));
          }),
      ),
    );
    if (free.every(Boolean)) return port;
  }
}
