import { parseLadder } from '@pressroom/protocol';
import { compositeArgs, compositeFiles, FILTERS, SCREEN_SLOT, SLOTS } from './composite-command';

const graphOf = (args: string[]) => args[args.indexOf('-filter_complex') + 1]!;

describe('compositeArgs', () => {
  const args = compositeArgs({ run: 3 });
  const files = compositeFiles(3);
  const graph = graphOf(args);

  it('reads five fixed-size picture slots at the wall clock pace, and the sound from fd 3', () => {
    for (const slot of SLOTS) {
      expect(args).toContain(files.picture(slot.index));
      expect(graph).toContain(`${FILTERS.scale(slot.index)}=w=${slot.width}:h=${slot.height}:`);
    }
    expect(SLOTS[SCREEN_SLOT]).toMatchObject({ kind: 'screen', width: 1280, height: 720 });
    expect(args.filter((arg) => arg === '-re')).toHaveLength(1 + SLOTS.length);
    expect(args.join(' ')).toContain('-f s16le -ar 48000 -ac 2');
    expect(args).toContain('pipe:3');
  });

  it('starts on the slate: every slot and the lower third hidden, the slate shown', () => {
    for (const slot of SLOTS) {
      expect(graph).toMatch(new RegExp(`${FILTERS.overlay(slot.index)}=[^;,]*enable=0`));
      expect(graph).toMatch(new RegExp(`${FILTERS.label(slot.index)}=[^;,]*enable=0`));
      expect(graph).toMatch(new RegExp(`${FILTERS.labelOverlay(slot.index)}=[^;,]*enable=0`));
    }
    for (const title of FILTERS.slateTitle) expect(graph).toMatch(new RegExp(`${title}=[^;,]*enable=1`));
    expect(graph).toMatch(new RegExp(`${FILTERS.lowerHeading}=[^;,]*enable=0`));
  });

  it('listens for commands on a Unix socket in its own directory, escaped for the graph', () => {
    expect(graph).toContain(`zmq=bind_address=ipc\\\\\\://${files.control}`);
    expect(graph).not.toContain('tcp');
    expect(files.control).toBe('work/c3-control.ipc');
  });

  it('encodes one profile throughout: H.264 High 30 fps, a keyframe a segment, fMP4 HLS named by run', () => {
    const joined = args.join(' ');
    expect(joined).toContain('-c:v libx264 -profile:v high -level:v 3.1');
    expect(joined).toContain('-r 30 -g 30 -keyint_min 30');
    expect(joined).toContain('-hls_segment_type fmp4');
    expect(args).toContain('r3-%v.m3u8');
    expect(args).toContain('r3-%v-init.mp4');
    expect(compositeArgs({ run: 1, segmentSeconds: 2 }).join(' ')).toContain('-g 60');
    expect(() => compositeArgs({ run: 1, segmentSeconds: 0.25 })).toThrow(/GOP/);
  });

  it('makes every rendition of the ladder from one picture: split, scaled, one muxer', () => {
    const args = compositeArgs({ run: 3, ladder: parseLadder('720,480,360')! });
    const graph = graphOf(args);
    expect(graph).toContain('[vout]split=3[split0][split1][split2]');
    expect(graph).toContain('[split0]null[v0]');
    expect(graph).toContain('[split1]scale=w=854:h=480:flags=bilinear[v1]');
    expect(graph).toContain('[split2]scale=w=640:h=360:flags=bilinear[v2]');
    const joined = args.join(' ');
    expect(joined).toContain('-b:v:0 2500k -maxrate:v:0 2500k -bufsize:v:0 2500k');
    expect(joined).toContain('-b:v:2 500k');
    expect(joined).toContain('-b:a:3 64k');
    expect(args[args.indexOf('-var_stream_map') + 1]).toBe(
      'v:0,a:0,name:v720 v:1,a:1,name:v480 v:2,a:2,name:v360 a:3,name:audio',
    );
  });

  it('makes one video rendition and the audio-only one on a small machine (HLS_LADDER=720), and by default', () => {
    const small = compositeArgs({ run: 3, ladder: parseLadder('720')! });
    expect(small).toEqual(args);
    expect(graphOf(small)).toContain('[vout]null[v0]');
    expect(graphOf(small)).not.toContain('split');
    expect(small[small.indexOf('-var_stream_map') + 1]).toBe('v:0,a:0,name:v720 a:1,name:audio');
  });
});
