import { ffmpegArgs, tileFeedArgs, type EncodePlan } from './ffmpeg-command';

const value = (args: string[], flag: string) => args[args.indexOf(flag) + 1];
const graph = (args: string[]) => value(args, '-filter_complex')!;

const slate: EncodePlan = {
  run: 3,
  tiles: [],
  slate: { titleFile: 'work/title.txt', statusFile: 'work/slate-soon.txt' },
};

const speakers: EncodePlan = {
  run: 4,
  // A screen share as the main tile, a camera beside it.
  tiles: [
    { frameFile: 'work/r4-tile-0.pgmyuv', rect: { x: 0, y: 0, width: 960, height: 720 } },
    {
      frameFile: 'work/r4-tile-1.pgmyuv',
      rect: { x: 960, y: 270, width: 320, height: 180 },
      labelFile: 'work/r4-label-1.txt',
    },
  ],
  audio: { sdpFile: 'work/r4.sdp', streams: 2 },
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
    expect(value(args, '-preset')).toBe('veryfast');
    expect(value(args, '-tune')).toBe('zerolatency');
    expect([value(args, '-r'), value(args, '-g'), value(args, '-sc_threshold')]).toEqual(['30', '30', '0']);
    expect(value(args, '-force_key_frames')).toBe('expr:gte(t,n_forced*1)');
    expect(args).not.toContain('anullsrc=r=48000:cl=stereo');
  });

  it("samples each tile's picture file at the output rate, whenever the speaker's video sent its last frame", () => {
    const args = ffmpegArgs(speakers);
    const tileInput = (file: string) => args.slice(args.indexOf(file) - 12, args.indexOf(file) + 1);
    // prettier-ignore
    expect(tileInput('work/r4-tile-0.pgmyuv')).toEqual([
      '-re', '-thread_queue_size', '1', '-f', 'image2', '-pattern_type', 'none', '-loop', '1',
      '-framerate', '30', '-i', 'work/r4-tile-0.pgmyuv',
    ]);
    const filters = graph(args).split(';');
    expect(filters).toContain('[0:v][1:v]overlay=x=0:y=0:eof_action=repeat[over0]');
    expect(filters).toContain('[over0][2:v]overlay=x=960:y=270:eof_action=repeat[over1]');
    expect(filters.find((f) => f.startsWith('[over1]'))).toMatch(
      /textfile=work\/r4-label-1\.txt.*x=972:y=410.*format=yuv420p\[vout\]$/,
    );
  });

  it('receives the audio over RTP from mediasoup, and starts at once', () => {
    const args = ffmpegArgs(speakers);
    expect(value(args, '-protocol_whitelist')).toBe('file,udp,rtp');
    expect(value(args, '-localaddr')).toBe('127.0.0.1');
    expect([value(args, '-analyzeduration'), value(args, '-probesize')]).toEqual(['100000', '32']);
    expect(args[args.indexOf('work/r4.sdp') - 1]).toBe('-i');
    // The packets read while probing must stay: the first one of a video is its keyframe.
    expect(args).not.toContain('nobuffer');
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

  it("mixes the speakers' audio, filling gaps so timestamps stay continuous, as late as their pictures", () => {
    const filters = graph(ffmpegArgs(speakers)).split(';');
    expect(filters).toContain('[3:0]aresample=async=1:first_pts=0[aud0]');
    expect(filters).toContain('[3:1]aresample=async=1:first_pts=0[aud1]');
    expect(filters).toContain(
      '[aud0][aud1]amix=inputs=2:normalize=0:dropout_transition=0,adelay=delays=83:all=1[aout]',
    );
  });

  it('makes half-second segments, each starting with a keyframe, for the speakers and the slates', () => {
    const program = ffmpegArgs({ ...speakers, segmentSeconds: 0.5 });
    expect(value(program, '-hls_time')).toBe('0.5');
    expect([value(program, '-g'), value(program, '-keyint_min')]).toEqual(['15', '15']);
    expect(value(program, '-force_key_frames')).toBe('expr:gte(t,n_forced*0.5)');
    const slateArgs = ffmpegArgs({ ...slate, segmentSeconds: 0.5 });
    expect(value(slateArgs, '-hls_time')).toBe('0.5');
    expect([value(slateArgs, '-r'), value(slateArgs, '-g'), value(slateArgs, '-keyint_min')]).toEqual(['10', '5', '5']);
    expect(value(slateArgs, '-force_key_frames')).toBe('expr:gte(t,n_forced*0.5)');
  });

  it('refuses a segment length that is no whole number of frames', () => {
    expect(() => ffmpegArgs({ ...slate, segmentSeconds: 0.25 })).toThrow(/no whole GOP/);
  });

  it('refuses paths that would need escaping in the filter graph', () => {
    expect(() => ffmpegArgs({ ...slate, slate: { titleFile: "work/it's.txt", statusFile: 'x' } })).toThrow(/unsafe/);
    expect(() => ffmpegArgs({ ...slate, slate: { titleFile: '../title.txt', statusFile: 'x' } })).toThrow(/unsafe/);
    expect(() => ffmpegArgs({ ...speakers, audio: { sdpFile: '/etc/x.sdp', streams: 1 } })).toThrow(/unsafe/);
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
