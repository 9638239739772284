import { failureReason, maskSecret, ProgressReader, pushArgs, pushTarget } from './restream-ffmpeg';

const KEY = 'abcd-efgh-ijkl-mnop';
const TARGET = pushTarget('rtmp://ingest.example.org/live2/', KEY);

describe('restream FFmpeg', () => {
  it('pushes to the URL with the key as its last segment', () => {
    expect(TARGET).toBe('rtmp://ingest.example.org/live2/abcd-efgh-ijkl-mnop');
    expect(pushTarget('rtmps://live-api-s.facebook.com:443/rtmp', 'FB-1?s_bl=1')).toBe(
      'rtmps://live-api-s.facebook.com:443/rtmp/FB-1?s_bl=1',
    );
  });

  it('copies the local live playlist to FLV, paced, without encoding', () => {
    const args = pushArgs('/media/broadcasts/e1/index.m3u8', TARGET, '/ca.pem');
    expect(args.join(' ')).toContain('-re -live_start_index -3 -i /media/broadcasts/e1/index.m3u8');
    expect(args.join(' ')).toContain('-c copy -f flv');
    expect(args.at(-1)).toBe(TARGET);
    expect(args).not.toContain('libx264');
    expect(args).not.toContain('-tls_verify');
  });

  it("checks an rtmps:// ingest's certificate before sending the key", () => {
    const args = pushArgs(
      '/m/index.m3u8',
      'rtmps://live.example.org:443/app/key',
      '/etc/ssl/certs/ca-certificates.crt',
    );
    expect(args.slice(-5)).toEqual([
      '-tls_verify',
      '1',
      '-ca_file',
      '/etc/ssl/certs/ca-certificates.crt',
      'rtmps://live.example.org:443/app/key',
    ]);
  });

  it('reads the bytes sent from each progress block', () => {
    const reader = new ProgressReader();
    expect(reader.read('frame=1\ntotal_size=48\nout_time_us=0\nprogr')).toEqual([]);
    expect(reader.read('ess=continue\ntotal_size=N/A\nprogress=continue\ntotal_size=9000\nprogress=end\n')).toEqual([
      48, 0, 9000,
    ]);
  });

  it("says why a push ended without the key, FFmpeg's prefixes or overlong lines", () => {
    const secrets = { target: TARGET, streamKey: KEY };
    const exit = { code: 1, signal: null };
    expect(
      failureReason(
        ['[tcp @ 0x55d1c0a1e2c0] Connection to tcp://ingest.example.org:1935 failed: Connection refused', ''],
        secrets,
        exit,
      ),
    ).toBe('Connection to tcp://ingest.example.org:1935 failed: Connection refused');
    expect(failureReason([`Error closing file ${TARGET}: Broken pipe`], secrets, exit)).toBe('Broken pipe');
    expect(failureReason([`${TARGET}: Connection refused`], secrets, exit)).toBe('Connection refused');
    expect(failureReason([`Failed to update header with correct filesize for ${TARGET}`], secrets, exit)).toBe(
      'Failed to update header with correct filesize for rtmp://ingest.example.org/live2/••••mnop',
    );
    expect(failureReason([`[rtmp @ 0x1] key ${encodeURIComponent(`${KEY} `)}`], secrets, exit)).not.toContain(KEY);
    expect(
      failureReason(
        [
          '[tls @ 0x561a73d3ae80] Peer certificate failed verification',
          '[rtmps @ 0x561a73d3df00] Cannot open connection tls://127.0.0.1:19443',
          `${TARGET}: Input/output error`,
        ],
        secrets,
        exit,
      ),
    ).toBe('Peer certificate failed verification');
    expect(failureReason([], secrets, exit)).toBe('FFmpeg exited with code 1');
    expect(failureReason([], secrets, { code: null, signal: 'SIGKILL' })).toBe('FFmpeg stopped (SIGKILL)');
    expect(failureReason(['x'.repeat(500)], secrets, exit)).toHaveLength(200);
  });

  it('masks a key that contains URL characters', () => {
    const key = 'FB-123-0-AbC?s_bl=1&s_ps=1';
    const target = pushTarget('rtmps://host/rtmp', key);
    expect(maskSecret(`failed: ${target} and ${encodeURIComponent(key)}`, { target, streamKey: key })).toBe(
      'failed: rtmps://host/rtmp/••••ps=1 and ••••ps=1',
    );
  });
});
