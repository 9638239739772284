import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blankPicture } from './blank-picture';

describe('blankPicture', () => {
  it("is a PGMYUV picture FFmpeg reads as the composite's background colour", () => {
    const dir = mkdtempSync(join(tmpdir(), 'pressroom-tile-'));
    try {
      const file = join(dir, 'blank.pgmyuv');
      writeFileSync(file, blankPicture(64, 36));
      const rgb = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
      expect(rgb.length).toBe(64 * 36 * 3);
      const background = [0x14, 0x18, 0x1f];
      for (let i = 0; i < rgb.length; i += 3) {
        for (let c = 0; c < 3; c++) expect(Math.abs(rgb[i + c]! - background[c]!)).toBeLessThanOrEqual(3);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('needs even sides (YUV 4:2:0)', () => {
    expect(() => blankPicture(641, 360)).toThrow(/even/);
  });
});
