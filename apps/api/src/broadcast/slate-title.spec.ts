import { CANVAS } from './layout';
import {
  measureBold,
  SLATE_TITLE_LAYOUTS,
  SLATE_TITLE_LINES,
  SLATE_TITLE_MARGIN,
  SLATE_TITLE_WIDTH,
  slateTitleLayout,
  slateTitleTexts,
  wrapToWidth,
} from './slate-title';

/** One unit a grapheme: widths in the tests are character counts. */
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const graphemes = (text: string) => [...segmenter.segment(text)].length;

const LONG_TITLE = 'Rueda de prensa posterior al Consejo de Ministros: presupuestos generales del Estado 2027';

describe('wrapToWidth', () => {
  it('keeps a title that fits on one line as it is', () => {
    expect(wrapToWidth('Short title', 20, 3, graphemes)).toEqual({ lines: ['Short title'], cut: false });
  });

  it('wraps at word boundaries, no line wider than the width', () => {
    const { lines, cut } = wrapToWidth('the quick brown fox jumps over the lazy dog', 15, 3, graphemes);
    expect(lines).toEqual(['the quick brown', 'fox jumps over', 'the lazy dog']);
    expect(cut).toBe(false);
  });

  it('breaks a word longer than a line', () => {
    expect(wrapToWidth('a abcdefghijkl b', 5, 4, graphemes).lines).toEqual(['a', 'abcde', 'fghij', 'kl b']);
  });

  it('ends the last line in an ellipsis, within the width, when text remains', () => {
    const { lines, cut } = wrapToWidth('one two three four five six seven eight', 9, 2, graphemes);
    expect(cut).toBe(true);
    expect(lines).toEqual(['one two', 'three…']);
    const full = wrapToWidth('aaaa bbbb cccc', 9, 1, graphemes);
    expect(full.lines).toEqual(['aaaa bbb…']);
    expect(graphemes(full.lines[0]!)).toBeLessThanOrEqual(9);
  });

  it('counts and breaks by grapheme, not UTF-16 unit: accents, CJK, emoji stay whole', () => {
    const decomposed = 'Cafe\u0301 Ñandú';
    expect(wrapToWidth(decomposed, 5, 3, graphemes).lines).toEqual(['Cafe\u0301', 'Ñandú']);
    expect(wrapToWidth('記者会見の開始をお待ちください', 5, 3, graphemes)).toEqual({
      lines: ['記者会見の', '開始をお待', 'ちください'],
      cut: false,
    });
    const family = '👨‍👩‍👧';
    expect(wrapToWidth(`${family}${family}${family}`, 2, 3, graphemes).lines).toEqual([`${family}${family}`, family]);
    expect(wrapToWidth(`😀😀😀😀`, 3, 1, graphemes).lines).toEqual(['😀😀…']);
  });

  it('measures no more than a bounded part of a huge title', () => {
    const { lines, cut } = wrapToWidth('x'.repeat(100_000), 10, 2, graphemes);
    expect(cut).toBe(true);
    expect(lines).toEqual(['x'.repeat(10), `${'x'.repeat(9)}…`]);
  });
});

describe('slate title layout', () => {
  it('keeps a short title on one line at the biggest size', () => {
    expect(slateTitleLayout('Press briefing')).toEqual({ layout: 0, lines: ['Press briefing'] });
  });

  it('wraps a long accented title onto several lines, each inside the margins, nothing lost', () => {
    const title = 'Comparecencia del ministro de Economía sobre la reforma fiscal española y más';
    for (const text of [title, LONG_TITLE]) {
      const { layout, lines } = slateTitleLayout(text);
      expect(layout).toBeGreaterThan(0);
      expect(lines.join(' ')).toBe(text);
      const { size } = SLATE_TITLE_LAYOUTS[layout]!;
      for (const line of lines) expect(measureBold(line, size)).toBeLessThanOrEqual(SLATE_TITLE_WIDTH);
    }
  });

  it('cuts a title too long for three lines with an ellipsis', () => {
    const { layout, lines } = slateTitleLayout(`${LONG_TITLE} ${LONG_TITLE} ${LONG_TITLE}`);
    expect(layout).toBe(SLATE_TITLE_LAYOUTS.length - 1);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/…$/);
    for (const line of lines) expect(measureBold(line, 40)).toBeLessThanOrEqual(SLATE_TITLE_WIDTH);
  });

  it('measures at least what the font draws (DejaVu Sans Bold: "W" is 1.103 em)', () => {
    expect(measureBold('W'.repeat(10), 40)).toBeGreaterThanOrEqual(10 * 1.103 * 40);
    // A glyph the font lacks is drawn as its box (0.6 em), not as nothing.
    expect(measureBold('会見', 40)).toBeGreaterThanOrEqual(2 * 0.6 * 40);
  });

  it('keeps at least 5 % of the width free each side', () => {
    expect(SLATE_TITLE_MARGIN).toBeGreaterThanOrEqual(CANVAS.width * 0.05);
    expect(SLATE_TITLE_WIDTH + 2 * SLATE_TITLE_MARGIN).toBe(CANVAS.width);
  });

  it('centres every layout on the same line, above the status line (y = h/2+30) without touching it', () => {
    let first = 0;
    const centres = SLATE_TITLE_LAYOUTS.map(({ lines, size }) => {
      const block = SLATE_TITLE_LINES.slice(first, first + lines);
      first += lines;
      expect(block.every((line) => line.size === size)).toBe(true);
      const top = block[0]!.baseline - 0.93 * size;
      const bottom = block[lines - 1]!.baseline + 0.24 * size;
      expect(bottom).toBeLessThan(CANVAS.height / 2 + 30 - 16);
      expect(top).toBeGreaterThan(0);
      return (top + bottom) / 2;
    });
    for (const centre of centres) expect(Math.abs(centre - centres[0]!)).toBeLessThanOrEqual(1);
  });

  it('fills one layout’s lines and leaves every other one empty', () => {
    const texts = slateTitleTexts(LONG_TITLE);
    expect(texts).toHaveLength(SLATE_TITLE_LINES.length);
    const { layout, lines } = slateTitleLayout(LONG_TITLE);
    const first = SLATE_TITLE_LAYOUTS.slice(0, layout).reduce((sum, each) => sum + each.lines, 0);
    expect(texts.slice(first, first + lines.length)).toEqual(lines);
    expect(texts.filter(Boolean)).toEqual(lines);
    expect(slateTitleTexts(LONG_TITLE)).toEqual(texts);
    expect(slateTitleTexts('')).toEqual(SLATE_TITLE_LINES.map(() => ''));
  });
});
