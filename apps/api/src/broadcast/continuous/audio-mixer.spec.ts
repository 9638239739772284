import { AudioMixer } from './audio-mixer';

/** Stereo s16le frames of one value (both channels). */
const pcm = (frames: number, value: number) => {
  const buffer = Buffer.alloc(frames * 4);
  for (let i = 0; i < frames * 2; i++) buffer.writeInt16LE(value, i * 2);
  return buffer;
};
const samples = (buffer: Buffer) => Array.from({ length: buffer.length / 2 }, (_, i) => buffer.readInt16LE(i * 2));

describe('AudioMixer', () => {
  it('gives silence with no source, and with a source still filling its prebuffer', () => {
    const mixer = new AudioMixer({ prebufferFrames: 100, maxQueuedFrames: 1000 });
    expect(samples(mixer.mix(10))).toEqual(new Array(20).fill(0));
    mixer.add('a');
    mixer.push('a', pcm(50, 1000));
    expect(samples(mixer.mix(10)).every((s) => s === 0)).toBe(true);
    mixer.push('a', pcm(50, 1000));
    expect(samples(mixer.mix(10)).every((s) => s === 1000)).toBe(true);
  });

  it('sums the sources, clipped to 16 bits, each at its gain', () => {
    const mixer = new AudioMixer({ prebufferFrames: 0, maxQueuedFrames: 1000 });
    mixer.add('a');
    mixer.add('b');
    mixer.push('a', pcm(10, 1000));
    mixer.push('b', pcm(10, -300));
    expect(samples(mixer.mix(5))).toEqual(new Array(10).fill(700));
    mixer.setGain('b', 0);
    expect(samples(mixer.mix(5))).toEqual(new Array(10).fill(1000));
    mixer.push('a', pcm(5, 30000));
    mixer.push('b', pcm(5, 30000));
    mixer.setGain('b', 1);
    expect(samples(mixer.mix(5))).toEqual(new Array(10).fill(32767));
  });

  it('plays a source that ran dry as silence until it has a prebuffer again', () => {
    const mixer = new AudioMixer({ prebufferFrames: 4, maxQueuedFrames: 100 });
    mixer.add('a');
    mixer.push('a', pcm(6, 500));
    expect(samples(mixer.mix(8))).toEqual([...new Array(12).fill(500), 0, 0, 0, 0]);
    mixer.push('a', pcm(2, 500));
    expect(samples(mixer.mix(2))).toEqual([0, 0, 0, 0]);
    mixer.push('a', pcm(2, 500));
    expect(samples(mixer.mix(2))).toEqual([500, 500, 500, 500]);
  });

  it('drops the oldest sound beyond the queue limit: a speaker never lags more than that', () => {
    const mixer = new AudioMixer({ prebufferFrames: 0, maxQueuedFrames: 4 });
    mixer.add('a');
    mixer.push('a', pcm(3, 1));
    mixer.push('a', pcm(3, 2));
    expect(samples(mixer.mix(4))).toEqual([1, 1, 2, 2, 2, 2, 2, 2]);
  });

  it('catches up a source left late by a burst, a little each mix, down to the standing queue', () => {
    const mixer = new AudioMixer({ prebufferFrames: 4, maxQueuedFrames: 100, standingFrames: 8 });
    mixer.add('a');
    mixer.push('a', pcm(40, 1));
    // Each mix of 8 plays 8 and drops at most 2 more while over 8 are left: 40 → 30 → 20 → 10 → 2.
    for (let i = 0; i < 4; i++) expect(samples(mixer.mix(8)).every((s) => s === 1)).toBe(true);
    // Without catching up, this mix would still be all sound (40 = 5 × 8).
    expect(samples(mixer.mix(8))).toEqual([1, 1, 1, 1, ...new Array(12).fill(0)]);
    expect(() => new AudioMixer({ prebufferFrames: 10, standingFrames: 5 })).toThrow(/standing/);
  });

  it('forgets a removed source, ignores unknown ids and refuses a source twice or a wild gain', () => {
    const mixer = new AudioMixer({ prebufferFrames: 0, maxQueuedFrames: 100 });
    mixer.add('a');
    mixer.push('a', pcm(4, 100));
    mixer.remove('a');
    mixer.push('nobody', pcm(4, 100));
    expect(samples(mixer.mix(4)).every((s) => s === 0)).toBe(true);
    mixer.add('b');
    expect(() => mixer.add('b')).toThrow(/already/);
    expect(() => mixer.setGain('b', Number.NaN)).toThrow(/gain/);
    expect(mixer.sourceIds).toEqual(['b']);
  });

  it('takes PCM from any offset of a larger buffer, and drops a trailing partial frame', () => {
    const mixer = new AudioMixer({ prebufferFrames: 0, maxQueuedFrames: 100 });
    mixer.add('a');
    const backing = Buffer.concat([Buffer.alloc(1), pcm(2, 1234), Buffer.alloc(3)]);
    mixer.push('a', backing.subarray(1));
    expect(samples(mixer.mix(3))).toEqual([1234, 1234, 1234, 1234, 0, 0]);
  });
});
