/**
 * A wall-clock time drawn into video as big black and white blocks, and read back from the pixels.
 * Plain code without DOM or Node types: the pages (browser) and the runner (Node) share it.
 *
 * The code is a grid of CODE.columns x CODE.rows square cells of CODE.cell px at the top left of a
 * 1280x720 picture: 4 sync cells (1 0 1 0), the time in ms as 42 bits (most significant first), and an
 * 18-bit check (FNV-1a of the 42 bits). 80 px cells survive H.264 at any sane bitrate and a scale down
 * to 320x180 (20 px cells); a frame whose sync or check does not match is counted and dropped.
 */
export const CODE = { columns: 16, rows: 4, cell: 80, width: 1280, height: 720 } as const;

const SYNC = [1, 0, 1, 0] as const;
const TIME_BITS = 42;
const CHECK_BITS = 18;
const TOTAL_BITS = CODE.columns * CODE.rows;

if (SYNC.length + TIME_BITS + CHECK_BITS !== TOTAL_BITS) throw new Error('timecode layout does not add up');

/** FNV-1a over the 6 bytes of a 42-bit value, folded to CHECK_BITS. */
function check(value: number): number {
  let hash = 0x811c9dc5;
  for (let byte = 5; byte >= 0; byte--) {
    hash ^= Math.floor(value / 2 ** (8 * byte)) % 256;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return (hash ^ (hash >>> CHECK_BITS)) & (2 ** CHECK_BITS - 1);
}

/** The cells (0 black, 1 white) for a time in ms, in reading order: row by row, left to right. */
export function encodeTime(ms: number): number[] {
  const value = Math.floor(ms) % 2 ** TIME_BITS;
  const bits: number[] = [...SYNC];
  for (let bit = TIME_BITS - 1; bit >= 0; bit--) bits.push(Math.floor(value / 2 ** bit) % 2);
  const sum = check(value);
  for (let bit = CHECK_BITS - 1; bit >= 0; bit--) bits.push((sum >>> bit) & 1);
  return bits;
}

export type Decoded = { ok: true; ms: number } | { ok: false; reason: 'sync' | 'check' | 'contrast' };

/**
 * Reads the time from the cells' mean luma (0..255, reading order). The threshold sits halfway between
 * the darkest and lightest cells, so a dimmed or washed-out picture still reads.
 */
export function decodeTime(luma: readonly number[]): Decoded {
  if (luma.length !== TOTAL_BITS) throw new Error(`expected ${TOTAL_BITS} cells`);
  const low = Math.min(...luma);
  const high = Math.max(...luma);
  if (high - low < 64) return { ok: false, reason: 'contrast' };
  const threshold = (low + high) / 2;
  const bits = luma.map((value) => (value > threshold ? 1 : 0));
  if (SYNC.some((bit, index) => bits[index] !== bit)) return { ok: false, reason: 'sync' };
  let value = 0;
  for (let index = 0; index < TIME_BITS; index++) value = value * 2 + bits[SYNC.length + index]!;
  let sum = 0;
  for (let index = 0; index < CHECK_BITS; index++) sum = sum * 2 + bits[SYNC.length + TIME_BITS + index]!;
  if (sum !== check(value)) return { ok: false, reason: 'check' };
  return { ok: true, ms: value };
}

/** Top left corner of cell `index` in the 1280x720 picture. */
export function cellOrigin(index: number): { x: number; y: number } {
  return { x: (index % CODE.columns) * CODE.cell, y: Math.floor(index / CODE.columns) * CODE.cell };
}

export const CELL_COUNT = TOTAL_BITS;
