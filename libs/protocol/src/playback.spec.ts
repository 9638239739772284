import { liveLatency } from './playback';

describe('liveLatency: how far behind the live edge players stay', () => {
  it('one segment behind for 1 s and 2 s segments, catching up beyond three', () => {
    expect(liveLatency(1)).toEqual({ target: 1, max: 3 });
    expect(liveLatency(2)).toEqual({ target: 2, max: 6 });
  });

  it('two segments behind for half-second segments (as bench:latency measured)', () => {
    expect(liveLatency(0.5)).toEqual({ target: 1, max: 2.5 });
  });
});
