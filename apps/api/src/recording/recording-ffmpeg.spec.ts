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

  it('adds each caption language as a mov_text subtitle stream with its language, in order', () => {
    const args = recordingJoinArgs('work/recording-parts.txt', 'work/recording.mp4', [
      { file: 'work/recording.es.vtt', mp4Language: 'spa' },
      { file: 'work/recording.fr.vtt', mp4Language: 'fra' },
    ]);
    expect(args.join(' ')).toContain(
      '-i work/recording-parts.txt -f webvtt -i work/recording.es.vtt -f webvtt -i work/recording.fr.vtt ' +
        '-map 0:v -map 0:a -map 1:s:0 -map 2:s:0 -c copy -c:s mov_text ' +
        '-metadata:s:s:0 language=spa -metadata:s:s:1 language=fra',
    );
    expect(recordingJoinArgs('a.txt', 'b.mp4')).not.toContain('-c:s');
  });

  it('remuxes a run without encoding, cut at the end when asked', () => {
    const args = recordingRemuxArgs('work/recording-0.m3u8', 'work/recording-0.mp4', 12.3456);
    expect([value(args, '-c'), value(args, '-t')]).toEqual(['copy', '12.346']);
    expect(args).not.toContain('-c:v');
    expect(recordingRemuxArgs('work/recording-0.m3u8', 'work/recording-0.mp4')).not.toContain('-t');
  });

  it('adds each interpretation after the floor: its run copied, or silence encoded as the broadcast does', () => {
    const args = recordingRemuxArgs('work/recording-0.m3u8', 'work/recording-0.mp4', undefined, [
      { playlist: 'work/recording-0-a1.m3u8' },
      { silenceSeconds: 4 },
    ]);
    expect(args.join(' ')).toContain(
      '-i work/recording-0.m3u8 -i work/recording-0-a1.m3u8 -f lavfi -t 4.000 -i anullsrc=r=48000:cl=stereo ' +
        '-map 0:v:0 -map 0:a:0 -map 1:a:0 -map 2:a:0 -c copy -c:a:2 aac -b:a:2 64k',
    );
  });

  it('names the audio tracks: the floor first and default, each interpretation with its language', () => {
    const args = recordingJoinArgs('a.txt', 'b.mp4', [], [{ mp4Language: 'fra', title: 'Interpretation: French' }]);
    expect(args.join(' ')).toContain(
      '-metadata:s:a:0 handler_name=Floor -disposition:a:0 default ' +
        '-metadata:s:a:1 language=fra -metadata:s:a:1 handler_name=Interpretation: French -disposition:a:1 0',
    );
    expect(recordingJoinArgs('a.txt', 'b.mp4')).not.toContain('-disposition:a:0');
  });
});
