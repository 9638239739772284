import { buildSdp } from './sdp';

describe('buildSdp', () => {
  it('describes each stream with its RTP and RTCP ports, in order', () => {
    const sdp = buildSdp([
      {
        kind: 'video',
        port: 50000,
        rtcpPort: 50001,
        payloadType: 102,
        mimeType: 'video/H264',
        clockRate: 90000,
        parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'x-ignored': undefined },
      },
      {
        kind: 'audio',
        port: 50002,
        rtcpPort: 50003,
        payloadType: 100,
        mimeType: 'audio/opus',
        clockRate: 48000,
        channels: 2,
      },
    ]);
    expect(sdp.split('\r\n')).toEqual([
      'v=0',
      'o=- 0 0 IN IP4 127.0.0.1',
      's=Pressroom broadcast',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      'm=video 50000 RTP/AVP 102',
      'a=rtcp:50001',
      'a=rtpmap:102 H264/90000',
      'a=fmtp:102 packetization-mode=1;profile-level-id=42e01f',
      'a=recvonly',
      'm=audio 50002 RTP/AVP 100',
      'a=rtcp:50003',
      'a=rtpmap:100 opus/48000/2',
      'a=recvonly',
      '',
    ]);
  });

  it('writes VP8 without fmtp and mono audio without a channel count', () => {
    const sdp = buildSdp([
      { kind: 'video', port: 50010, rtcpPort: 50011, payloadType: 96, mimeType: 'video/VP8', clockRate: 90000 },
      {
        kind: 'audio',
        port: 50012,
        rtcpPort: 50013,
        payloadType: 0,
        mimeType: 'audio/PCMU',
        clockRate: 8000,
        channels: 1,
      },
    ]);
    expect(sdp).toContain('a=rtpmap:96 VP8/90000\r\n');
    expect(sdp).toContain('a=rtpmap:0 PCMU/8000\r\n');
    expect(sdp).not.toContain('a=fmtp');
  });
});
