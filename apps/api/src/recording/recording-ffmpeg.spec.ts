import { recordingJoinArgs, recordingRemuxArgs } from './recording-ffmpeg';

const value = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('recording arguments', () => {
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

  it('remuxes a run without encoding, cut at the end when asked', () => {
    const args = recordingRemuxArgs('work/recording-0.m3u8', 'work/recording-0.mp4', 12.3456);
    expect([value(args, '-c'), value(args, '-t')]).toEqual(['copy', '12.346']);
    expect(args).not.toContain('-c:v');
    expect(recordingRemuxArgs('work/recording-0.m3u8', 'work/recording-0.mp4')).not.toContain('-t');
  });
});
