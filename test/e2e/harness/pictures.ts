import { rename, writeFile } from 'node:fs/promises';
import { WIDTH, type Region } from './media';

export type Rgb = readonly [number, number, number];

/** RGB to BT.601 limited-range YUV, as FFmpeg's default conversion does. */
export function rgbToYuv([r, g, b]: Rgb): { y: number; u: number; v: number } {
  const clamp = (value: number) => Math.max(0, Math.min(255, Math.round(value)));
  return {
    y: clamp(16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255),
    u: clamp(128 + (-37.797 * r - 74.203 * g + 112 * b) / 255),
    v: clamp(128 + (112 * r - 93.786 * g - 18.214 * b) / 255),
  };
}

/** A picture of one colour as PGMYUV (what a tile feed writes): the Y plane, then U and V side by side. */
export function solidPicture(width: number, height: number, colour: Rgb): Buffer {
  const { y, u, v } = rgbToYuv(colour);
  const header = Buffer.from(`P5\n${width} ${(height * 3) / 2}\n255\n`, 'ascii');
  const row = Buffer.concat([Buffer.alloc(width / 2, u), Buffer.alloc(width / 2, v)]);
  return Buffer.concat([header, Buffer.alloc(width * height, y), ...Array.from({ length: height / 2 }, () => row)]);
}

/** As a tile feed does: beside, then renamed over, so FFmpeg never reads half a picture. */
export async function writePicture(file: string, picture: Buffer): Promise<void> {
  await writeFile(`${file}.test.tmp`, picture);
  await rename(`${file}.test.tmp`, file);
}

/** Euclidean distance of two colours. */
export function colourDistance(a: Rgb, b: Rgb): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/** The share of a region's pixels of about this colour (within 70) in a decoded RGB frame (WIDTH wide). */
export function colourShare(frame: Buffer, rect: Region, colour: Rgb): number {
  let near = 0;
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    for (let x = rect.x; x < rect.x + rect.width; x++) {
      const i = (y * WIDTH + x) * 3;
      if (Math.hypot(frame[i]! - colour[0], frame[i + 1]! - colour[1], frame[i + 2]! - colour[2]) < 70) near++;
    }
  }
  return near / (rect.width * rect.height);
}
