import { maskStreamKey } from '@pressroom/protocol';

/** Where FFmpeg pushes: the destination's URL and its stream key as the last path segment (what every ingest expects). */
export function pushTarget(url: string, streamKey: string): string {
  return `${url.replace(/\/+$/, '')}/${streamKey}`;
}

/**
 * The push's FFmpeg arguments: it follows the broadcast's local live playlist (`playlist`, starting three
 * segments from its live edge), paced at real time (`-re`), and copies the picture (H.264) and the sound
 * (AAC) into FLV over RTMP, or RTMPS (FFmpeg's TLS, the ingest's certificate checked against `caFile`:
 * FFmpeg would not check it otherwise, and would hand the key to whoever answers). No decoding, no
 * encoding: one push costs little CPU. Its progress goes to stdout every second (`-progress pipe:1`):
 * that is how the push knows it is live.
 */
export function pushArgs(playlist: string, target: string, caFile: string): string[] {
  const tls = target.startsWith('rtmps://') ? ['-tls_verify', '1', '-ca_file', caFile] : [];
  // prettier-ignore
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'error',
    '-progress', 'pipe:1', '-stats_period', '1',
    '-re', '-live_start_index', '-3', '-i', playlist,
    '-map', '0:v:0', '-map', '0:a:0?',
    '-c', 'copy',
    '-f', 'flv', '-flvflags', 'no_duration_filesize',
    ...tls,
    target,
  ];
}

/** What one block of `-progress` output said; undefined until its `progress=` line. */
export class ProgressReader {
  #partial = '';
  #block: Record<string, string> = {};

  /** Feeds stdout; returns the bytes written so far after each complete block. */
  read(chunk: string): number[] {
    const lines = (this.#partial + chunk).split('\n');
    this.#partial = lines.pop() ?? '';
    const totals: number[] = [];
    for (const line of lines) {
      const at = line.indexOf('=');
      if (at < 0) continue;
      const [key, value] = [line.slice(0, at).trim(), line.slice(at + 1).trim()];
      this.#block[key] = value;
      if (key !== 'progress') continue;
      const total = Number(this.#block.total_size);
      totals.push(Number.isFinite(total) ? total : 0);
      this.#block = {};
    }
    return totals;
  }
}

const MAX_REASON = 200;
const GENERIC = /: (Input\/output error|Unknown error occurred)$/;

/**
 * Why a push ended, for moderators and the log: FFmpeg's last error line, without its `[tcp @ 0x…]`
 * prefix nor the push target it names, with the stream key masked wherever it still appears.
 */
export function failureReason(
  stderr: readonly string[],
  secrets: { target: string; streamKey: string },
  exit: { code: number | null; signal: NodeJS.Signals | null },
): string {
  const lines = stderr.map((line) => line.replace(/^\[[^\]]*@ 0x[0-9a-f]+\]\s*/i, '').trim()).filter(Boolean);
  // FFmpeg ends with a generic "<url>: Input/output error"; the cause (a refused certificate) came first.
  const last = GENERIC.test(lines.at(-1) ?? '') ? lines.slice(-3)[0] : lines.at(-1);
  let reason = last
    ? last
    : exit.signal
      ? `FFmpeg stopped (${exit.signal})`
      : `FFmpeg exited with code ${exit.code ?? '?'}`;
  // "Error closing file rtmp://host/app/key: Broken pipe" says no more than "Broken pipe".
  const about = reason.lastIndexOf(`${secrets.target}: `);
  if (about >= 0) reason = reason.slice(about + secrets.target.length + 2);
  reason = maskSecret(reason, secrets);
  return reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 1)}…` : reason;
}

/** `text` with the target and the key (also URL-encoded) replaced by the masked key. */
export function maskSecret(text: string, { target, streamKey }: { target: string; streamKey: string }): string {
  const masked = maskStreamKey(streamKey);
  const targetMasked = target.slice(0, target.length - streamKey.length) + masked;
  let out = text.split(target).join(targetMasked);
  for (const form of new Set([streamKey, encodeURIComponent(streamKey)])) if (form) out = out.split(form).join(masked);
  return out;
}
