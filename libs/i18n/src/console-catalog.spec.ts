import { consoleCatalogProblems, placeholdersOf } from './console-catalog';

describe('the console and studio catalogs', () => {
  it('have every English message in every language, with the same placeholders, and nothing English lacks', () => {
    expect(consoleCatalogProblems()).toEqual([]);
  });

  it('reads the placeholders and ICU variables of a message', () => {
    expect(placeholdersOf('Ban {$INTERPOLATION}? {$START_TAG_STRONG}x{$CLOSE_TAG_STRONG}')).toEqual([
      '{$CLOSE_TAG_STRONG}',
      '{$INTERPOLATION}',
      '{$START_TAG_STRONG}',
    ]);
    expect(placeholdersOf('{VAR_PLURAL, plural, =1 {1 vote} other {{INTERPOLATION} votes}}')).toEqual(['VAR_PLURAL']);
  });
});
