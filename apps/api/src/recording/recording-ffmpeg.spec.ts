import { recordingJoinArgs, recordingPartArgs, recordingRemuxArgs } from './recording-ffmpeg';

const value = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('recording arguments', () => {
  it('re-encodes a run into a part alike every other: 1280x720, 30 fps, the same H.264 and AAC', () => {
    const args = recordingPartArgs('work/recording-0.m3u8', 'work/recording-0.mp4');
    expect(args[args.indexOf('work/recording-0.m3u8') - 1]).toBe('-i');
    expect(value(args, '-vf')).toBe('fps=30,scale=1280:720,setsar=1,format=yuv420p');
    expect([value(args, '-c:v'), value(args, '-crf'), value(args, '-c:a'), value(args, '-ar')]).toEqual([
      'libx264',
      '22',
      'aac',
      '48000',
    ]);
    expect(args.slice(-3)).toEqual(['-f', 'mp4', 'work/recording-0.mp4']);
  });

  it('joins the parts without encoding again, the index at the front', () => {
    const args = recordingJoinArgs('work/recording-parts.txt', 'work/recording.mp4');
    expect(args.slice(args.indexOf('-f'), args.indexOf('-f') + 6)).toEqual([
      '-f',
      'concat',
      '-safe',
      '0',
      '-i',
      'work/recording-parts.txt',
    ]);
    expect([value(args, '-c'), value(args, '-movflags')]).toEqual(['copy', '+faststart']);
  });

  it('remuxes a run of the continuous engine without encoding, cut at the end when asked', () => {
    const args = recordingRemuxArgs('work/recording-0.m3u8', 'work/recording-0.mp4', 12.3456);
    expect([value(args, '-c'), value(args, '-t')]).toEqual(['copy', '12.346']);
    expect(args).not.toContain('-c:v');
    expect(recordingRemuxArgs('work/recording-0.m3u8', 'work/recording-0.mp4')).not.toContain('-t');
  });
});
