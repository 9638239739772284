import { maskStreamKey, restreamUrlProblem, streamKeyProblem } from './restream';

describe('restream rules', () => {
  it('takes rtmp:// and rtmps:// ingest URLs only', () => {
    for (const url of [
      'rtmp://a.rtmp.youtube.com/live2',
      'rtmps://live-api-s.facebook.com:443/rtmp/',
      'rtmp://peertube.example.org:1935/live',
      'rtmp://127.0.0.1/live',
    ]) {
      expect(restreamUrlProblem(url)).toBeNull();
    }
    expect(restreamUrlProblem('http://example.org/live')).toBe('url must start with rtmp:// or rtmps://');
    expect(restreamUrlProblem('RTMP://example.org/live')).toBe('url must start with rtmp:// or rtmps://');
    expect(restreamUrlProblem('rtmp://')).toBe('url must name a host');
    expect(restreamUrlProblem('rtmp://u:p@example.org/live')).toBe('url must not hold a user name or password');
    expect(restreamUrlProblem('rtmp://example.org/live?key=1')).toMatch(/^url must not hold a query/);
    expect(restreamUrlProblem('rtmp://example.org/li ve')).toBe('url must not contain spaces or control characters');
    expect(restreamUrlProblem('')).toBe('url must not be empty');
  });

  it('takes any key without white space or control characters, and never repeats it', () => {
    expect(streamKeyProblem('FB-123-0-AbC?s_bl=1&s_ps=1')).toBeNull();
    expect(streamKeyProblem('a\u0000b')).toBe('streamKey must not contain spaces or control characters');
    expect(streamKeyProblem('k'.repeat(501))).toBe('streamKey must be at most 500 characters');
  });

  it('masks a key down to its last 4 characters, a short one entirely', () => {
    expect(maskStreamKey('abcd-efgh-ijkl-mnop')).toBe('••••mnop');
    expect(maskStreamKey('short-key')).toBe('••••');
  });
});
