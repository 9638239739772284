import { forbiddenCharacter } from './limits';

describe('forbiddenCharacter: the one rule for control characters in typed text', () => {
  it.each([
    ['\u0000', 'U+0000'],
    ['\u001b', 'U+001B'],
    ['\u007f', 'U+007F'],
    ['\u0085', 'U+0085'],
    ['\u009f', 'U+009F'],
    ['\u202a', 'U+202A'],
    ['\u202e', 'U+202E'],
    ['\u2066', 'U+2066'],
    ['\u2069', 'U+2069'],
  ])('names %j wherever it is, in one line or many', (character, code) => {
    expect(forbiddenCharacter(`Ana ${character}García`)).toBe(code);
    expect(forbiddenCharacter(`Ana\n${character}García`, true)).toBe(code);
  });

  it('lets line breaks and tabs into multi-line text only', () => {
    for (const character of ['\n', '\r', '\t']) {
      expect(forbiddenCharacter(`a${character}b`)).not.toBeNull();
      expect(forbiddenCharacter(`a${character}b`, true)).toBeNull();
    }
    expect(forbiddenCharacter('a\u000bb', true)).toBe('U+000B');
  });

  it('lets ordinary text in, right-to-left marks, accents and emoji included', () => {
    for (const text of ['Ana García, El País', '\u200fليلى حداد', 'Zürich 🇨🇭', 'a\u00a0b', '']) {
      expect(forbiddenCharacter(text)).toBeNull();
    }
  });
});
