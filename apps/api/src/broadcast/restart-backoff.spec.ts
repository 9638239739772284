import { COMPOSITE_RESTART_DELAYS_MS, FEED_RESTART_DELAYS_MS, RestartBackoff } from './restart-backoff';

describe('RestartBackoff', () => {
  let now = 0;
  const clock = () => now;

  beforeEach(() => (now = 1_000_000));

  /** Starts, fails at once, `times` times in a row: the delays asked for and which failures to log. */
  const failFast = (backoff: RestartBackoff, times: number) =>
    Array.from({ length: times }, () => {
      backoff.started();
      now += 100;
      const decision = backoff.failed();
      now += decision.delayMs;
      return decision;
    });

  it('waits 0.5 s, 1 s, 2 s, then 5 s between the tries of a feed that keeps failing', () => {
    const decisions = failFast(new RestartBackoff(FEED_RESTART_DELAYS_MS, 10_000, clock), 7);
    expect(decisions.map((d) => d.delayMs)).toEqual([500, 1_000, 2_000, 5_000, 5_000, 5_000, 5_000]);
    expect(decisions.map((d) => d.failures)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('restarts the composite at once the first time, then backs off the same way', () => {
    const decisions = failFast(new RestartBackoff(COMPOSITE_RESTART_DELAYS_MS, 10_000, clock), 6);
    expect(decisions.map((d) => d.delayMs)).toEqual([0, 500, 1_000, 2_000, 5_000, 5_000]);
  });

  it('logs once per failure streak: only the first failure of a streak is marked', () => {
    const backoff = new RestartBackoff(FEED_RESTART_DELAYS_MS, 10_000, clock);
    expect(failFast(backoff, 5).map((d) => d.first)).toEqual([true, false, false, false, false]);
    expect(backoff.failing).toBe(true);
  });

  it('starts a new streak after a start that ran long enough, or after succeeded()', () => {
    const backoff = new RestartBackoff(FEED_RESTART_DELAYS_MS, 10_000, clock);
    failFast(backoff, 3);
    backoff.started();
    now += 9_999;
    expect(backoff.failed()).toEqual({ delayMs: 5_000, failures: 4, first: false });
    backoff.started();
    now += 10_000;
    expect(backoff.failing).toBe(false);
    expect(backoff.failed()).toEqual({ delayMs: 500, failures: 1, first: true });
    failFast(backoff, 2);
    backoff.succeeded();
    expect(backoff.failing).toBe(false);
    expect(backoff.failed()).toEqual({ delayMs: 500, failures: 1, first: true });
  });

  it('counts a failure without a start (a change that threw) in the streak', () => {
    const backoff = new RestartBackoff(COMPOSITE_RESTART_DELAYS_MS, 10_000, clock);
    expect([backoff.failed(), backoff.failed(), backoff.failed()].map((d) => d.delayMs)).toEqual([0, 500, 1_000]);
  });
});
