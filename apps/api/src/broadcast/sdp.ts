/** One RTP stream FFmpeg receives: what mediasoup sends from a PlainTransport consumer to `port`. */
export interface SdpStream {
  kind: 'audio' | 'video';
  port: number;
  /** mediasoup sends its RTCP sender reports here; FFmpeg needs them to line up audio and video. */
  rtcpPort: number;
  payloadType: number;
  /** `video/H264` → `H264`. */
  mimeType: string;
  clockRate: number;
  channels?: number;
  parameters?: Record<string, unknown>;
}

/**
 * The session description FFmpeg reads its inputs from (`-protocol_whitelist file,udp,rtp -i x.sdp`):
 * one m-line per stream, in order, so stream `i` of the SDP input is `streams[i]`.
 */
export function buildSdp(streams: readonly SdpStream[], address = '127.0.0.1'): string {
  const lines = ['v=0', `o=- 0 0 IN IP4 ${address}`, 's=Pressroom broadcast', `c=IN IP4 ${address}`, 't=0 0'];
  for (const stream of streams) {
    const encoding = stream.mimeType.split('/')[1];
    if (!encoding) throw new Error(`not a mime type: ${stream.mimeType}`);
    const channels = stream.kind === 'audio' && stream.channels && stream.channels > 1 ? `/${stream.channels}` : '';
    lines.push(
      `m=${stream.kind} ${stream.port} RTP/AVP ${stream.payloadType}`,
      `a=rtcp:${stream.rtcpPort}`,
      `a=rtpmap:${stream.payloadType} ${encoding}/${stream.clockRate}${channels}`,
    );
    const fmtp = Object.entries(stream.parameters ?? {})
      .filter(([, value]) => value !== undefined && value !== null && value !== '')
      .map(([key, value]) => `${key}=${String(value)}`)
      .join(';');
    if (fmtp) lines.push(`a=fmtp:${stream.payloadType} ${fmtp}`);
    lines.push('a=recvonly');
  }
  return `${lines.join('\r\n')}\r\n`;
}
