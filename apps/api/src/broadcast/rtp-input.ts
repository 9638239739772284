import type { types } from 'mediasoup';
import type { PortAllocator } from './port-allocator';
import type { SdpStream } from './sdp';

/** A producer consumed through a PlainTransport of its own, sent to FFmpeg on `port` (RTCP on port + 1). */
export interface RtpInput {
  transport: types.PlainTransport;
  consumer: types.Consumer;
  port: number;
}

/**
 * Consumes `producer` on a PlainTransport of its own that sends to 127.0.0.1:`port` (RTCP on port + 1),
 * paused: `resume` it once FFmpeg listens there.
 */
export async function consume(router: types.Router, producer: types.Producer, ports: PortAllocator): Promise<RtpInput> {
  const port = await ports.allocate();
  let transport: types.PlainTransport | undefined;
  try {
    transport = await router.createPlainTransport({ listenIp: '127.0.0.1', rtcpMux: false, comedia: false });
    await transport.connect({ ip: '127.0.0.1', port, rtcpPort: port + 1 });
    const consumer = await transport.consume({
      producerId: producer.id,
      rtpCapabilities: bareCapabilities(producer),
      paused: true,
    });
    return { transport, consumer, port };
  } catch (error) {
    transport?.close();
    ports.release(port);
    throw error;
  }
}

/**
 * The producer's own codec with NACK and FIR, no header extensions and no RTX. With the router's
 * full capabilities mediasoup would probe bandwidth and send probation packets into FFmpeg's port.
 */
function bareCapabilities(producer: types.Producer): types.RtpCapabilities {
  const codec = producer.rtpParameters.codecs.find((c) => !/\/(rtx|red|ulpfec|flexfec)$/i.test(c.mimeType));
  if (!codec) throw new Error(`producer ${producer.id} has no media codec`);
  return {
    codecs: [
      {
        kind: producer.kind,
        mimeType: codec.mimeType,
        clockRate: codec.clockRate,
        ...(codec.channels ? { channels: codec.channels } : {}),
        parameters: codec.parameters ?? {},
        rtcpFeedback: producer.kind === 'video' ? [{ type: 'nack' }, { type: 'ccm', parameter: 'fir' }] : [],
      },
    ],
    headerExtensions: [],
  };
}

export function sdpStreamOf({ consumer, port }: RtpInput): SdpStream {
  const codec = consumer.rtpParameters.codecs[0]!;
  return {
    kind: consumer.kind,
    port,
    rtcpPort: port + 1,
    payloadType: codec.payloadType,
    mimeType: codec.mimeType,
    clockRate: codec.clockRate,
    channels: codec.channels,
    parameters: codec.parameters,
  };
}

export function resume(inputs: readonly RtpInput[]): void {
  for (const { consumer } of inputs) consumer.resume().catch(() => undefined);
}

/** Closes the transport (and so its consumer) and frees its ports. */
export function closeInput({ transport, port }: RtpInput, ports: PortAllocator): void {
  transport.close();
  ports.release(port);
}
