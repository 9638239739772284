/**
 * Diagnosis only (`LATENCY_DEBUG=ffmpeg`): consumes the speaker's video on a PlainTransport of its own
 * and decodes it with a separate FFmpeg for 5 s (LATENCY_FFLOG log level, LATENCY_FFFAST extra input
 * flags such as "-analyzeduration 100000 -probesize 32 -fflags nobuffer"), printing what FFmpeg says.
 * Used to find why a canvas captureStream() track did not start the broadcast (its page sent no audio at all).
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { types } from 'mediasoup';
import { buildSdp } from '../../../apps/api/src/broadcast/sdp';

export async function probeWithFfmpeg(router: types.Router, producer: types.Producer, port: number): Promise<string> {
  const codec = producer.rtpParameters.codecs.find((c) => !/\/(rtx|red|ulpfec|flexfec)$/i.test(c.mimeType))!;
  const transport = await router.createPlainTransport({ listenIp: '127.0.0.1', rtcpMux: false, comedia: false });
  await transport.connect({ ip: '127.0.0.1', port, rtcpPort: port + 1 });
  const consumer = await transport.consume({
    producerId: producer.id,
    rtpCapabilities: {
      codecs: [
        {
          kind: 'video',
          mimeType: codec.mimeType,
          clockRate: codec.clockRate,
          parameters: codec.parameters ?? {},
          rtcpFeedback: [{ type: 'nack' }, { type: 'ccm', parameter: 'fir' }],
        },
      ],
      headerExtensions: [],
    },
    paused: true,
  });
  const rtp = consumer.rtpParameters.codecs[0]!;
  const sdp = buildSdp([
    {
      kind: 'video',
      port,
      rtcpPort: port + 1,
      payloadType: rtp.payloadType,
      mimeType: rtp.mimeType,
      clockRate: rtp.clockRate,
      parameters: rtp.parameters,
    },
  ]);
  writeFileSync('/tmp/latency-debug.sdp', sdp);
  const child = spawn('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    process.env['LATENCY_FFLOG'] ?? 'verbose',
    '-protocol_whitelist',
    'file,udp,rtp',
    '-localaddr',
    '127.0.0.1',
    '-buffer_size',
    '1048576',
    ...(process.env['LATENCY_FFFAST'] ?? '').split(' ').filter(Boolean),
    '-i',
    '/tmp/latency-debug.sdp',
    '-t',
    '5',
    '-f',
    'null',
    '-',
  ]);
  let out = '';
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((r) => setTimeout(r, 500));
  await consumer.resume();
  const timer = setInterval(() => void consumer.requestKeyFrame(), 1000);
  await consumer.requestKeyFrame();
  await new Promise((r) => child.on('exit', r));
  clearInterval(timer);
  transport.close();
  return out;
}
