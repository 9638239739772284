/**
 * A pseudo-localizer: turns a piece of visible text into a longer, accented look-alike wrapped in markers,
 * `Send` → `[Šéñḋ ĺöŕé]`, to see how a page copes with a translation it does not have yet:
 *
 * - every ASCII letter becomes an accented look-alike that decomposes (NFD) to the same letter, so the
 *   text stays readable and taller letters (Å, É) show vertical clipping;
 * - the text grows by the usual pseudo-localization rule, more for short strings (a button's "OK" doubles,
 *   a paragraph grows by 30 %): padding words are added at the end, separated by spaces, so that the
 *   text can still wrap where a real translation would;
 * - `[` and `]` mark both ends, so that text cut off at either side is seen at a glance.
 *
 * Text without a letter (`1:00`, `×`, `·`) is not translated and stays as it is; leading and trailing
 * whitespace stays outside the markers. Pure and deterministic: the browser tests run it in the page
 * (test/browser/pseudo-locale.browser-spec.ts).
 */
export function pseudoLocalize(text: string): string {
  if (!/\p{L}/u.test(text)) return text;
  const [, lead = '', core = '', trail = ''] = /^(\s*)([\s\S]*?)(\s*)$/.exec(text) ?? [];
  const accented = Array.from(core, (char) => ACCENTED.get(char) ?? char).join('');
  // Line breaks and indentation of the page's source show as one space.
  const length = Array.from(core.replace(/\s+/g, ' ')).length;
  const extra = Math.ceil(length * pseudoExpansion(length));
  return `${lead}[${accented} ${padding(extra - 1)}]${trail}`;
}

/**
 * How much longer than `length` characters the pseudo text is, as a fraction: the common rule of thumb
 * for how much a translation may grow (IBM's globalization guidelines), from twice as long for a word to
 * 30 % for a paragraph. About 40 % for a sentence of 50–70 characters.
 */
export function pseudoExpansion(length: number): number {
  if (length <= 10) return 1;
  if (length <= 20) return 0.8;
  if (length <= 30) return 0.6;
  if (length <= 50) return 0.5;
  if (length <= 70) return 0.4;
  return 0.3;
}

const PLAIN = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOOK_ALIKES = 'áḃçḋéḟĝĥîĵķĺṁñöṗqŕšţûṽŵẋýžÅḂÇḊÉḞĜĤÎĴĶĹṀÑÖṖQŔŠŢÛṼŴẊÝŽ';
const ACCENTED = new Map(Array.from(PLAIN, (char, i) => [char, Array.from(LOOK_ALIKES)[i]!]));

/** Words of at most 5 letters, so that a padded text wraps about as often as a real one. */
const FILLER = 'ĺöŕéṁ îṗšûṁ ḋöĺöŕ šîţ åṁéţ çöñš éçţéţ åḋîṗî šçîñĝ éĺîţ';

/** `count` characters of filler words (at least one character). */
function padding(count: number): string {
  const wanted = Math.max(1, count);
  return (
    FILLER.repeat(Math.ceil(wanted / FILLER.length))
      .slice(0, wanted)
      .trimEnd() || FILLER[0]!
  );
}
