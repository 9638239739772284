import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pseudoExpansion, pseudoLocalize } from './pseudo';

/** The text between the markers, without the padding words: what the reader should still recognise. */
const core = (pseudo: string, words: number) =>
  /^\s*\[([\s\S]*)\]\s*$/.exec(pseudo)![1]!.split(' ').slice(0, words).join(' ');
/** Letters without their accents: `Šéñḋ` → `Send`. */
const plain = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '');
const length = (text: string) => Array.from(text).length;

describe('pseudoLocalize', () => {
  it('accents every ASCII letter with a look-alike that reads as the same letter, and marks both ends', () => {
    const pseudo = pseudoLocalize('Send');
    expect(pseudo).toMatch(/^\[Šéñḋ .+\]$/);
    const alphabet = 'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    const accented = core(pseudoLocalize(alphabet), 2);
    expect(plain(accented)).toBe(alphabet);
    // All but q and Q (no accented q decomposes to q) look different.
    const unchanged = Array.from(alphabet).filter((char, i) => char !== ' ' && Array.from(accented)[i] === char);
    expect(unchanged).toEqual(['q', 'Q']);
  });

  it('keeps letters that are accented already, digits and punctuation as they are', () => {
    expect(core(pseudoLocalize('Größe: 1,5 × 2 – ok?'), 6)).toBe('Ĝŕößé: 1,5 × 2 – öķ?');
  });

  it('leaves text without a letter alone: numbers, icons, separators, whitespace', () => {
    for (const text of ['', '   ', '1:00', '×', '·', '42 %', '\n  ']) expect(pseudoLocalize(text)).toBe(text);
  });

  it('keeps leading and trailing whitespace outside the markers', () => {
    expect(pseudoLocalize('\n    Cancel\n  ')).toMatch(/^\n {4}\[Çáñçéĺ [^\]]+\]\n {2}$/);
  });

  it.each([
    ['OK', 2, 2],
    ['Send', 4, 2],
    ['Join the conversation', 21, 1.6],
    ['Questions appear here once a moderator approves them.', 53, 1.4],
    [
      'Your name and outlet are erased from this event at once: from what everyone sees, from the moderators’ transcript.',
      114,
      1.3,
    ],
  ])('makes "%s" (%i characters) about %f times as long, markers aside', (text, characters, factor) => {
    expect(length(text)).toBe(characters);
    const inside = pseudoLocalize(text).slice(1, -1);
    expect(length(inside)).toBeGreaterThanOrEqual(Math.ceil(characters * factor) - 1);
    expect(length(inside)).toBeLessThanOrEqual(Math.ceil(characters * factor));
    expect(pseudoExpansion(characters)).toBeCloseTo(factor - 1);
  });

  it('counts a line break and the indentation of the page source as one space', () => {
    const spread = pseudoLocalize('Watching needs nothing.\n            Give a name to chat.');
    const tight = pseudoLocalize('Watching needs nothing. Give a name to chat.');
    expect(length(spread) - length(tight)).toBe('\n            '.length - 1);
  });

  it('pads with short words, so that the text can still wrap', () => {
    const padded = pseudoLocalize('Turn sound on').slice(1, -1);
    for (const word of padded.split(' ')) expect(length(word)).toBeLessThanOrEqual(5);
  });

  it('is deterministic, and every German message of the event page stays recognisable', () => {
    const german = (
      JSON.parse(readFileSync(join(__dirname, '..', 'catalogs', 'de.json'), 'utf8')) as {
        page: Record<string, string>;
      }
    ).page;
    for (const message of Object.values(german)) {
      const pseudo = pseudoLocalize(message);
      expect(pseudoLocalize(message)).toBe(pseudo);
      if (!/\p{L}/u.test(message)) continue;
      const words = message.trim().split(' ').length;
      expect(plain(core(pseudo, words))).toBe(plain(message.trim()));
    }
  });
});
