/** The composite's background (ffmpeg-command.ts's BACKGROUND, 0x14181f) in BT.601 limited-range YUV. */
const BLANK = { y: 36, u: 132, v: 126 };

/** A picture of the background's colour as PGMYUV: the Y plane, then each chroma row as U then V. */
export function blankPicture(width: number, height: number): Buffer {
  if (width % 2 || height % 2) throw new Error(`a YUV 4:2:0 picture needs even sides, not ${width}x${height}`);
  const header = Buffer.from(`P5\n${width} ${(height * 3) / 2}\n255\n`, 'ascii');
  const luma = Buffer.alloc(width * height, BLANK.y);
  const chromaRow = Buffer.concat([Buffer.alloc(width / 2, BLANK.u), Buffer.alloc(width / 2, BLANK.v)]);
  return Buffer.concat([header, luma, ...Array.from({ length: height / 2 }, () => chromaRow)]);
}
