import { hlsRunOutputArgs, keyframeArgs, safePath, tileFeedArgs } from './ffmpeg-command';

const value = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('hlsRunOutputArgs', () => {
  it('writes fMP4 HLS, independent, with program date-times, named after the run', () => {
    // prettier-ignore
    expect(hlsRunOutputArgs(3, 1)).toEqual([
      '-f', 'hls',
      '-hls_time', '1',
      '-hls_list_size', '0',
      '-hls_segment_type', 'fmp4',
      '-hls_flags', 'independent_segments+program_date_time+temp_file',
      '-hls_fmp4_init_filename', 'r3-init.mp4',
      '-hls_segment_filename', 'r3-%05d.m4s',
      'r3.m3u8',
    ]);
  });
});

describe('keyframeArgs', () => {
  it('puts a keyframe at each segment boundary and nowhere else', () => {
    const args = keyframeArgs(15, 0.5);
    expect([value(args, '-g'), value(args, '-keyint_min'), value(args, '-sc_threshold')]).toEqual(['15', '15', '0']);
    expect(value(args, '-force_key_frames')).toBe('expr:gte(t,n_forced*0.5)');
  });
});

describe('safePath', () => {
  it('refuses paths that would need escaping in the filter graph', () => {
    expect(safePath('work/c1-slot-0.pgmyuv')).toBe('work/c1-slot-0.pgmyuv');
    for (const path of ["work/it's.txt", '../title.txt', '/etc/x.sdp', 'work/a:b']) {
      expect(() => safePath(path)).toThrow(/unsafe/);
    }
  });
});

describe('tileFeedArgs', () => {
  const feed = (fit: 'cover' | 'contain') =>
    tileFeedArgs({ sdpFile: 'work/r4-tile-0.sdp', frameFile: 'work/r4-tile-0.pgmyuv', width: 640, height: 360, fit });

  it('decodes one RTP video into one picture file, replaced atomically for every frame as it comes', () => {
    const args = feed('cover');
    expect(args[args.indexOf('work/r4-tile-0.sdp') - 1]).toBe('-i');
    // prettier-ignore
    expect(args.slice(args.indexOf('-fps_mode'))).toEqual([
      '-fps_mode', 'passthrough',
      '-c:v', 'pgmyuv', '-f', 'image2', '-update', '1', '-atomic_writing', '1',
      'work/r4-tile-0.pgmyuv',
    ]);
  });

  it('fits the picture to the tile exactly: a camera cropped to fill it, a screen letterboxed whole', () => {
    expect(value(feed('cover'), '-vf')).toBe(
      'scale=640:360:force_original_aspect_ratio=increase:flags=bilinear,crop=640:360,setsar=1,format=yuv420p',
    );
    expect(value(feed('contain'), '-vf')).toBe(
      'scale=640:360:force_original_aspect_ratio=decrease:force_divisible_by=2:flags=bilinear,' +
        'pad=640:360:(ow-iw)/2:(oh-ih)/2:color=0x14181f,setsar=1,format=yuv420p',
    );
  });
});
