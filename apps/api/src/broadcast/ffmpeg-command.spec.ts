import { ffmpegArgs, type EncodePlan } from './ffmpeg-command';

const value = (args: string[], flag: string) => args[args.indexOf(flag) + 1];
const graph = (args: string[]) => value(args, '-filter_complex')!;

const slate: EncodePlan = {
  run: 3,
  videos: [],
  audioStreams: [],
  slate: { titleFile: 'work/title.txt', statusFile: 'work/slate-soon.txt' },
};

const speakers: EncodePlan = {
  run: 4,
  sdpFile: 'work/r4.sdp',
  videos: [
    { stream: 0, source: 'camera', labelFile: 'work/r4-label-0.txt' },
    { stream: 1, source: 'screen' },
  ],
  audioStreams: [2, 3],
  slate: { titleFile: 'work/title.txt', statusFile: 'work/slate-waiting.txt' },
  lowerThird: { headingFile: 'work/lower-heading.txt', bodyFile: 'work/lower-body.txt' },
};

describe('ffmpegArgs', () => {
  it('writes fMP4 HLS with 1 s segments, independent, with program date-times, named after the run', () => {
    const args = ffmpegArgs(slate);
    expect(value(args, '-f')).toBe('lavfi');
    // prettier-ignore
    expect(args.slice(args.lastIndexOf('-f'))).toEqual([
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

  it('renders a slate cheaply from a paced background, with silence, and no RTP input', () => {
    const args = ffmpegArgs(slate);
    expect(args.filter((a) => a === '-re')).toHaveLength(2);
    expect(args).toContain('color=c=0x14181f:s=1280x720:r=10');
    expect(args).toContain('anullsrc=r=48000:cl=stereo');
    expect(args).not.toContain('-protocol_whitelist');
    expect(value(args, '-preset')).toBe('ultrafast');
    expect([value(args, '-r'), value(args, '-g'), value(args, '-keyint_min')]).toEqual(['10', '10', '10']);
    expect(graph(args)).toContain('textfile=work/title.txt');
    expect(graph(args)).toContain('textfile=work/slate-soon.txt');
    expect(graph(args)).not.toContain('reload=1');
  });

  it('composites the speakers at 30 fps with a keyframe starting every segment', () => {
    const args = ffmpegArgs(speakers);
    expect(value(args, '-protocol_whitelist')).toBe('file,udp,rtp');
    expect(value(args, '-localaddr')).toBe('127.0.0.1');
    expect(args[args.indexOf('work/r4.sdp') - 1]).toBe('-i');
    expect(value(args, '-preset')).toBe('veryfast');
    expect(value(args, '-tune')).toBe('zerolatency');
    expect([value(args, '-r'), value(args, '-g'), value(args, '-sc_threshold')]).toEqual(['30', '30', '0']);
    expect(value(args, '-force_key_frames')).toBe('expr:gte(t,n_forced*1)');
    expect(args).not.toContain('anullsrc=r=48000:cl=stereo');
  });

  it('scales every RTP video to its tile and lays it over the background', () => {
    const filters = graph(ffmpegArgs(speakers)).split(';');
    // The screen is the main tile (shown whole), the camera sits beside it (cropped to fill).
    expect(filters).toContain(
      '[1:1]scale=960:720:force_original_aspect_ratio=decrease:force_divisible_by=2:flags=bilinear,setsar=1[tile0]',
    );
    expect(filters).toContain('[0:v][tile0]overlay=x=0+(960-w)/2:y=0+(720-h)/2:eof_action=repeat[over0]');
    expect(filters).toContain(
      '[1:0]scale=320:180:force_original_aspect_ratio=increase:flags=bilinear,crop=320:180,setsar=1[tile1]',
    );
    expect(filters).toContain('[over0][tile1]overlay=x=960:y=270:eof_action=repeat[over1]');
    expect(filters.find((f) => f.startsWith('[over1]'))).toMatch(
      /textfile=work\/r4-label-0\.txt.*format=yuv420p\[vout\]$/,
    );
  });

  it('draws the lower third from files it re-reads every frame, printing text as is', () => {
    const video = graph(ffmpegArgs(speakers))
      .split(';')
      .find((f) => f.endsWith('[vout]'))!;
    for (const file of ['work/lower-heading.txt', 'work/lower-body.txt']) {
      const drawtext = video.split(',').find((f) => f.includes(`textfile=${file}`))!;
      expect(drawtext).toContain('reload=1');
      expect(drawtext).toContain('expansion=none');
      expect(drawtext).toContain('box=1');
    }
    // With speakers on screen the slate's texts are not drawn.
    expect(video).not.toContain('slate-waiting');
  });

  it("mixes the speakers' audio, filling gaps so timestamps stay continuous", () => {
    const filters = graph(ffmpegArgs(speakers)).split(';');
    expect(filters).toContain('[1:2]aresample=async=1:first_pts=0[aud0]');
    expect(filters).toContain('[1:3]aresample=async=1:first_pts=0[aud1]');
    expect(filters).toContain('[aud0][aud1]amix=inputs=2:normalize=0:dropout_transition=0[aout]');
  });

  it('refuses paths that would need escaping in the filter graph', () => {
    expect(() => ffmpegArgs({ ...slate, slate: { titleFile: "work/it's.txt", statusFile: 'x' } })).toThrow(/unsafe/);
    expect(() => ffmpegArgs({ ...slate, slate: { titleFile: '../title.txt', statusFile: 'x' } })).toThrow(/unsafe/);
    expect(() => ffmpegArgs({ ...speakers, sdpFile: undefined })).toThrow(/SDP/);
  });
});
