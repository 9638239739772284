import { LiveDistance, liveLatency } from './playback';

describe('liveLatency: how far behind the live edge players stay', () => {
  it('one segment behind for 1 s and 2 s segments, catching up beyond three', () => {
    expect(liveLatency(1)).toEqual({ target: 1, max: 3 });
    expect(liveLatency(2)).toEqual({ target: 2, max: 6 });
  });

  it('two segments behind for half-second segments (as bench:latency measured)', () => {
    expect(liveLatency(0.5)).toEqual({ target: 1, max: 2.5 });
  });
});

describe('LiveDistance: the event page back to its target after a stall', () => {
  /** Plays `seconds` without a stall, a segment appended every half second with `lowAhead` s left before it. */
  function play(distance: LiveDistance, from: number, seconds: number, lowAhead: number): number {
    let now = from;
    for (let t = 0; t < seconds * 1000; t += 250) {
      now = from + t;
      if (t % 500 === 0) distance.buffered(lowAhead, now);
      else distance.buffered(lowAhead + 0.25, now);
      distance.review(now);
    }
    return now;
  }

  it('starts half a second further back and comes to the target within 15 s of smooth playback', () => {
    const distance = new LiveDistance(liveLatency(0.5), 0);
    expect(distance.distance).toBe(1.5);
    expect(distance.maxDistance).toBe(3);
    // Two segments behind the edge with half-second segments: ~0.5 s left just before each one arrives
    // (0.9 here at the start's extra distance, 0.65 a quarter second closer).
    let now = play(distance, 0, 7, 0.9);
    expect(distance.distance).toBe(1.25);
    now = play(distance, now, 7, 0.65);
    expect(distance.distance).toBe(1);
    play(distance, now, 30, 0.4);
    expect(distance.distance).toBe(1);
  });

  it('after a stall, back to the target in steps, not only after a long wait', () => {
    const distance = new LiveDistance(liveLatency(0.5), 0);
    let now = play(distance, 0, 30, 0.9);
    expect(distance.distance).toBe(1);
    distance.stalled(now);
    expect(distance.distance).toBe(1.5);
    now = play(distance, now, 7, 0.9);
    expect(distance.distance).toBe(1.25);
    play(distance, now, 7, 0.65);
    expect(distance.distance).toBe(1);
  });

  it('keeps the extra while segments come so unevenly that closer would stall, and never above 1 s', () => {
    const distance = new LiveDistance(liveLatency(0.5), 0);
    const stalledAt = play(distance, 0, 1, 0.9);
    distance.stalled(stalledAt);
    distance.stalled(stalledAt + 100);
    distance.stalled(stalledAt + 200);
    expect(distance.distance).toBe(2);
    expect(distance.maxDistance).toBe(3.5);
    // At 2 s behind, the buffer runs down to 0.35 s before a segment arrives: 0.25 s closer leaves 0.1 s.
    play(distance, stalledAt + 200, 40, 0.35);
    expect(distance.distance).toBe(2);
    // Nothing appended (the server is silent): nothing to go by.
    const silent = new LiveDistance(liveLatency(0.5), 0);
    for (let now = 0; now < 20_000; now += 250) silent.review(now);
    expect(silent.distance).toBe(1.5);
  });

  it('waits twice as long before stepping closer each time a step brought a stall, until a minute of calm', () => {
    const distance = new LiveDistance(liveLatency(0.5), 0);
    let now = play(distance, 0, 30, 0.9);
    expect(distance.distance).toBe(1);
    distance.stalled(now); // not after a step: the next step after 6 s
    now = play(distance, now, 6.5, 0.9);
    expect(distance.distance).toBe(1.25);
    now = play(distance, now, 6.5, 0.9);
    expect(distance.distance).toBe(1);
    distance.stalled(now); // right after the step: 12 s
    now = play(distance, now, 11, 0.9);
    expect(distance.distance).toBe(1.5);
    now = play(distance, now, 2, 0.9);
    expect(distance.distance).toBe(1.25);
    distance.stalled(now); // right after the step again: 24 s
    now = play(distance, now, 23, 0.9);
    expect(distance.distance).toBe(1.75);
    now = play(distance, now, 2, 0.9);
    expect(distance.distance).toBe(1.5);
    // Back at the target after a minute without a stall: a stall then waits 6 s again.
    now = play(distance, now, 70, 0.9);
    expect(distance.distance).toBe(1);
    now = play(distance, now, 15, 0.9);
    distance.stalled(now);
    now = play(distance, now, 7, 0.9);
    expect(distance.distance).toBe(1.25);
  });

  it('catches up once a segment arrived, down to the last tenth of a second, at most 1.2x, not on a low buffer', () => {
    const distance = new LiveDistance(liveLatency(0.5), 0);
    play(distance, 0, 20, 0.9);
    expect(distance.distance).toBe(1);
    // 0.3 s behind, a segment just appended: 1.05 s buffered (the page used to want 1.2 s: once 0.2 s
    // behind it never had that much, and stayed there).
    expect(distance.rate(1.3, 1.05, 1)).toBeCloseTo(1.1);
    expect(distance.rate(3, 2.5, 1)).toBe(1.2);
    // A short stall leaves it 0.15 s behind: it catches that up too, barely faster…
    expect(distance.rate(1.15, 1.1, 1)).toBe(1.05);
    // …and goes on between segments while half a second is buffered,
    expect(distance.rate(1.08, 0.6, 1.05)).toBe(1.05);
    // normal speed once there,
    expect(distance.rate(1.02, 0.7, 1.05)).toBe(1);
    // or when the buffer runs low (a segment listed late: the page looks behind with little to play).
    expect(distance.rate(1.6, 0.45, 1.1)).toBe(1);
    expect(distance.rate(1.6, 0.8, 1)).toBe(1);
  });
});
