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
    expect(graph).toMatch(new RegExp(`${FILTERS.slateTitle}=[^;,]*enable=1`));
    expect(graph).toMatch(new RegExp(`${FILTERS.lowerHeading}=[^;,]*enable=0`));
  });

  it('listens for commands on a Unix socket in its own directory, escaped for the graph', () => {
    expect(graph).toContain(`zmq=bind_address=ipc\\\\\\://${files.control}`);
    expect(graph).not.toContain('tcp');
    expect(files.control).toBe('work/c3-control.ipc');
  });

  it('encodes one profile throughout: H.264 High 30 fps, a keyframe a segment, fMP4 HLS named by run', () => {
    const joined = args.join(' ');
    expect(joined).toContain('-c:v libx264 -profile:v high');
    expect(joined).toContain('-r 30 -g 30 -keyint_min 30');
    expect(joined).toContain('-hls_segment_type fmp4');
    expect(args).toContain('r3.m3u8');
    expect(args).toContain('r3-init.mp4');
    expect(compositeArgs({ run: 1, segmentSeconds: 2 }).join(' ')).toContain('-g 60');
    expect(() => compositeArgs({ run: 1, segmentSeconds: 0.25 })).toThrow(/GOP/);
  });
});
