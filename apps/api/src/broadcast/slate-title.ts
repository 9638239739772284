import { openSync, type Font } from 'fontkit';
import { FONTS } from './ffmpeg-command';
import { CANVAS } from './layout';

/**
 * The event's title on a slate (the "starting soon" loop and the composite's own slate): wrapped at word
 * boundaries onto at most three lines, each centred and inside the picture's margins, the block centred
 * above the status line (drawn at y = h/2+30). FFmpeg 5.1's drawtext centres a block, not its lines, so
 * every line is a drawtext of its own, at a fixed size and baseline: `SLATE_TITLE_LINES` lists them, the
 * one-line layout's, then the two-line layout's, then the three-line one's; a title fills one layout's
 * lines and leaves every other line empty (an empty drawtext draws nothing).
 */

/** Each side keeps this much free (6.25 %: more than the 5 % a broadcast's safe title area asks). */
export const SLATE_TITLE_MARGIN = 80;
export const SLATE_TITLE_WIDTH = CANVAS.width - 2 * SLATE_TITLE_MARGIN;
/** The block's vertical centre: the tallest block (three lines) ends ~25 px above the status line. */
const CENTRE_Y = 290;
/** DejaVu Sans Bold's ascent and descent (2048 units per em): 1901 and 483. */
const ASCENT = 1901 / 2048;
const DESCENT = 483 / 2048;
/** A longer title than three lines at the smallest size hold would be cut anyway: no more is measured. */
const MAX_GRAPHEMES = 400;
const ELLIPSIS = '…';

/** Fewer lines get a bigger font. */
export const SLATE_TITLE_LAYOUTS = [
  { lines: 1, size: 48 },
  { lines: 2, size: 44 },
  { lines: 3, size: 40 },
] as const;

export interface SlateTitleLine {
  /** Font size, px. */
  size: number;
  /** Where the line's baseline is, px from the top (drawtext: `y=<baseline>-ascent`). */
  baseline: number;
}

/** Every line a slate can draw (6), in the order of `slateTitleTexts`. */
export const SLATE_TITLE_LINES: readonly SlateTitleLine[] = SLATE_TITLE_LAYOUTS.flatMap(({ lines, size }) => {
  const pitch = Math.round(size * 1.25);
  const height = (lines - 1) * pitch + (ASCENT + DESCENT) * size;
  const top = CENTRE_Y - height / 2;
  return Array.from({ length: lines }, (_, line) => ({
    size,
    baseline: Math.round(top + ASCENT * size + line * pitch),
  }));
});

/** How wide `text` is drawn at `size` px, never less than drawtext draws it. */
export type Measure = (text: string, size: number) => number;

export interface Wrapped {
  lines: string[];
  /** Not all of the text fitted: the last line ends in "…". */
  cut: boolean;
}

/**
 * Word-wraps `text` (already `oneLine`d) into lines at most `width` wide; a word wider than a line is
 * broken between graphemes. More than `maxLines` lines: the last one kept ends in "…" (within the width).
 */
export function wrapToWidth(text: string, width: number, maxLines: number, measure: (text: string) => number): Wrapped {
  const { head, capped } = firstGraphemes(text, MAX_GRAPHEMES);
  const out: string[] = [];
  let line = '';
  for (const word of head.split(' ').filter(Boolean)) {
    for (const piece of pieces(word, width, measure)) {
      const longer = line ? `${line} ${piece}` : piece;
      if (!line || measure(longer) <= width) line = longer;
      else {
        out.push(line);
        line = piece;
      }
    }
  }
  if (line) out.push(line);
  if (out.length <= maxLines && !capped) return { lines: out, cut: false };
  const kept = out.slice(0, maxLines);
  const last = graphemes(kept[kept.length - 1] ?? '');
  let shortened = `${last.join('').trimEnd()}${ELLIPSIS}`;
  while (last.length > 0 && measure(shortened) > width) {
    last.pop();
    shortened = `${last.join('').trimEnd()}${ELLIPSIS}`;
  }
  kept[kept.length - 1] = shortened;
  return { lines: kept, cut: true };
}

/**
 * The title's layout: the first of `SLATE_TITLE_LAYOUTS` that holds it whole, else the last one, cut
 * with "…". `measure` defaults to the bold font's own glyph widths.
 */
export function slateTitleLayout(title: string, measure: Measure = measureBold): { layout: number; lines: string[] } {
  for (const [layout, { lines, size }] of SLATE_TITLE_LAYOUTS.entries()) {
    const wrapped = wrapToWidth(title, SLATE_TITLE_WIDTH, lines, (text) => measure(text, size));
    if (!wrapped.cut || layout === SLATE_TITLE_LAYOUTS.length - 1) return { layout, lines: wrapped.lines };
  }
  throw new Error('unreachable');
}

/**
 * What each of `SLATE_TITLE_LINES` shows for `title`: the chosen layout's lines, every other one empty.
 * Asked when a slate is drawn (a loop rendered, a composite's slate written), never per viewer.
 */
export function slateTitleTexts(title: string, measure: Measure = measureBold): string[] {
  const { layout, lines } = slateTitleLayout(title, measure);
  return SLATE_TITLE_LAYOUTS.flatMap((each, index) =>
    Array.from({ length: each.lines }, (_, line) => (index === layout ? (lines[line] ?? '') : '')),
  );
}

let bold: Font | null | undefined;

/**
 * The bold font's advance widths (fontkit), as drawtext adds them up on FFmpeg 5.1 (no shaping; a glyph
 * the font lacks is drawn as its empty box, of that box's width), plus a pixel a glyph for the hinter's
 * rounding. Without the font file: 1.2 em a code point (wider than DejaVu Bold's "W", 1.103 em).
 */
export const measureBold: Measure = (text, size) => {
  if (bold === undefined) {
    try {
      bold = openSync(FONTS.bold) as Font;
    } catch {
      bold = null;
    }
  }
  const codePoints = [...text].length;
  if (!bold) return codePoints * size * 1.2;
  const units = bold.glyphsForString(text).reduce((sum, glyph) => sum + glyph.advanceWidth, 0);
  return (units / bold.unitsPerEm) * size + codePoints;
};

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const graphemes = (text: string) => Array.from(segmenter.segment(text), (segment) => segment.segment);

/** The text's first `max` graphemes (read no further). */
function firstGraphemes(text: string, max: number): { head: string; capped: boolean } {
  let count = 0;
  for (const { index } of segmenter.segment(text)) {
    if (count++ === max) return { head: text.slice(0, index), capped: true };
  }
  return { head: text, capped: false };
}

/** A word as pieces that each fit a line (the word itself when it does). */
function pieces(word: string, width: number, measure: (text: string) => number): string[] {
  if (measure(word) <= width) return [word];
  const out: string[] = [];
  let piece = '';
  for (const grapheme of graphemes(word)) {
    if (piece && measure(piece + grapheme) > width) {
      out.push(piece);
      piece = '';
    }
    piece += grapheme;
  }
  if (piece) out.push(piece);
  return out;
}
