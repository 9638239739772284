import { audioFeedArgs } from './audio-feed';

describe('audioFeedArgs', () => {
  it('decodes the first audio stream of the SDP into s16le stereo 48 kHz on stdout, flushed per packet', () => {
    const args = audioFeedArgs('work/a.sdp').join(' ');
    expect(args).toContain('-protocol_whitelist file,udp,rtp');
    expect(args).toContain('-i work/a.sdp -map 0:a:0');
    expect(args).toContain('-f s16le -ar 48000 -ac 2 -flush_packets 1 pipe:1');
  });

  it('refuses a path that is not a plain relative one', () => {
    expect(() => audioFeedArgs('../etc/x.sdp')).toThrow(/unsafe/);
    expect(() => audioFeedArgs('-i.sdp')).toThrow(/unsafe/);
  });
});
