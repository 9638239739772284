import { describeProblems, switchProblem } from './device-problems';

describe('describeProblems', () => {
  it('says nothing when all is well', () => {
    expect(describeProblems({})).toEqual([]);
  });

  it('explains a blocked camera and that the microphone alone is enough to join', () => {
    expect(describeProblems({ camera: 'denied' })).toEqual([
      expect.stringMatching(/blocks the camera.*microphone only/),
    ]);
  });

  it('gives one message when both are blocked or both are missing', () => {
    expect(describeProblems({ camera: 'denied', microphone: 'denied' })).toEqual([
      expect.stringContaining('blocks the camera and microphone'),
    ]);
    expect(describeProblems({ camera: 'missing', microphone: 'missing' })).toEqual([
      'No camera or microphone was found. Connect one, then select “Try again”.',
    ]);
  });

  it('names the microphone first: without it nobody hears the speaker', () => {
    expect(describeProblems({ camera: 'busy', microphone: 'missing' })).toEqual([
      expect.stringContaining('No microphone'),
      expect.stringContaining('camera is in use'),
    ]);
  });
});

describe('switchProblem', () => {
  it('says why the device chosen is not used, and that the previous one still is', () => {
    expect(switchProblem({ source: 'camera', problem: 'busy' })).toBe(
      'This camera is in use by another app. You are still using the previous one.',
    );
    expect(switchProblem({ source: 'microphone', problem: 'missing' })).toBe(
      'This microphone was not found: check that it is plugged in. You are still using the previous one.',
    );
  });
});
