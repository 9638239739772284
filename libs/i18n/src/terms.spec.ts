/**
 * One wording per thing, in every language (README "Words of the trade"): a label that appears in two places
 * (the event page's "Download my data" and the studio's) reads the same in both; a help text or notice that
 * quotes a button ("give a name under “Take part”", "“Forget me” erases…") quotes the button's own words; and
 * each language writes its quotation marks one way (French with its no-break spaces). Only exact comparisons
 * of whole messages and quoted labels: no guessing at words inside sentences.
 */
import { DEFAULT_UI_LANGUAGE, UI_LANGUAGES, type UiLanguage } from '@pressroom/protocol';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const CATALOGS = join(__dirname, '..', 'catalogs');
type Section = 'page' | 'broadcast' | 'console' | 'privacy';
type Catalog = Record<Section, Record<string, string>>;
/** A message, as `section:key`. */
type Ref = `${Section}:${string}`;

const read = (language: string): Catalog => JSON.parse(readFileSync(join(CATALOGS, `${language}.json`), 'utf8'));
const catalogs = Object.fromEntries(UI_LANGUAGES.map((language) => [language, read(language)])) as Record<
  UiLanguage,
  Catalog
>;
/** A message's text; Angular keeps a template's surrounding spaces in the English console messages. */
const text = (language: UiLanguage, ref: Ref): string => {
  const [section, key] = ref.split(/:(.*)/s) as [Section, string];
  const message = catalogs[language][section][key];
  if (message === undefined) throw new Error(`${language}: no message ${ref}`);
  return message.trim();
};

/** The same label or sentence shown in several places: each group reads the same within a language. */
const SAME: Ref[][] = [
  ['page:my_data.title', 'console:footer.yourData', 'privacy:your_data.heading'],
  ['page:my_data.download', 'console:footer.download'],
  ['page:my_data.downloaded', 'console:footer.downloaded'],
  ['page:my_data.forget', 'console:footer.forget'],
  ['page:footer.privacy', 'console:footer.notice'],
  ['page:footer.policy', 'console:footer.policy', 'privacy:footer.policy'],
  ['page:footer.no_operator', 'console:footer.noOperator', 'privacy:contact.unnamed'],
  ['page:identity.privacy', 'console:deviceCheck.privacy'],
  ['page:chat.moderator', 'console:role.moderator', 'console:tile.moderator'],
  ['page:chat.speaker', 'console:role.speaker'],
  ['page:questions.on_air', 'console:questions.onAir', 'console:queue.onAir'],
  ['page:audio_only.on_stage', 'console:counters.stage', 'console:hands.onStage', 'console:stage.title'],
  ['page:status.badge_live', 'console:eventStatus.live', 'console:studio.status.live'],
  ['page:status.ended', 'broadcast:slate.ended'],
  ['page:player.ended', 'console:broadcast.ended'],
  ['page:error.stage_full', 'console:error.stage_full'],
  ['page:error.password_required', 'console:error.password_required'],
  ['page:error.wrong_password', 'console:error.wrong_password'],
  ['page:error.already_voted', 'console:error.already_voted'],
];

/**
 * Labels that other messages quote. Any message whose English quotes one of these (“Take part”, “Try again”…)
 * must quote the label's translation; quotes of anything else (the browser's “Allow”) are not checked.
 */
const QUOTED_LABELS: Ref[] = [
  'page:identity.title',
  'page:player.play',
  'page:my_data.download',
  'page:my_data.forget',
  'privacy:forgotten_name',
  'console:common.tryAgain',
  'console:sharing.title',
  'console:queue.putOnAir',
  'broadcast:slate.soon',
];

/** Each language's quotation marks (opening, closing), and the marks it must not use. */
const QUOTES: Record<UiLanguage, { open: string; close: string; foreign: RegExp }> = {
  en: { open: '“', close: '”', foreign: /[«»„‚"]/ },
  es: { open: '«', close: '»', foreign: /[“”„‚‘’"]/ },
  fr: { open: '«\u00a0', close: '\u00a0»', foreign: /[“”„‚‘"]/ },
  it: { open: '«', close: '»', foreign: /[“”„‚‘"]/ },
  nl: { open: '‘', close: '’', foreign: /[“”«»„‚"]/ },
  de: { open: '„', close: '“', foreign: /[«»”‚‘"]/ },
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The texts a message puts in quotation marks. */
function quoted(language: UiLanguage, message: string): string[] {
  const { open, close } = QUOTES[language];
  return [...message.matchAll(new RegExp(`${escape(open)}(.+?)${escape(close)}`, 'gs'))].map((m) => m[1]!);
}

const allRefs = (language: UiLanguage): Ref[] =>
  (Object.keys(catalogs[language]) as Section[]).flatMap((section) =>
    Object.keys(catalogs[language][section]).map((key): Ref => `${section}:${key}`),
  );

describe('the words of the trade', () => {
  it.each(UI_LANGUAGES)('%s: a label shown in several places reads the same everywhere', (language) => {
    const differing = SAME.filter((group) => new Set(group.map((ref) => text(language, ref))).size > 1).map((group) =>
      Object.fromEntries(group.map((ref) => [ref, text(language, ref)])),
    );
    expect(differing).toEqual([]);
  });

  it.each(UI_LANGUAGES)('%s: a message quoting a button quotes its very words', (language) => {
    const wrong: string[] = [];
    for (const ref of allRefs(DEFAULT_UI_LANGUAGE)) {
      const englishQuotes = quoted(DEFAULT_UI_LANGUAGE, text(DEFAULT_UI_LANGUAGE, ref)).map((q) => q.toLowerCase());
      for (const label of QUOTED_LABELS) {
        if (label === ref || !englishQuotes.includes(text(DEFAULT_UI_LANGUAGE, label).toLowerCase())) continue;
        const want = text(language, label);
        const found = quoted(language, text(language, ref));
        // Case aside: English writes “starting soon” inside a sentence for the slate's "Starting soon".
        if (!found.some((q) => q.toLowerCase() === want.toLowerCase())) {
          wrong.push(
            `${ref} should quote ${label} “${want}”, quotes ${found.map((q) => `“${q}”`).join(', ') || 'nothing'}`,
          );
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it.each(UI_LANGUAGES)(
    '%s: quotes at least what the English message quotes, with its own quotation marks',
    (language) => {
      const wrong: string[] = [];
      for (const ref of allRefs(language)) {
        const message = text(language, ref);
        if (QUOTES[language].foreign.test(message)) wrong.push(`${ref}: foreign quotation mark in ${message}`);
        const english = quoted(DEFAULT_UI_LANGUAGE, text(DEFAULT_UI_LANGUAGE, ref)).length;
        if (quoted(language, message).length < english)
          wrong.push(`${ref}: quotes fewer things than English (${english})`);
      }
      expect(wrong).toEqual([]);
    },
  );

  it('French puts a no-break space before : ; ? ! » and after «', () => {
    const wrong = allRefs('fr')
      .map((ref) => [ref, text('fr', ref)] as const)
      .filter(([, message]) => /[^\u00a0\u202f](?=[:;?!»])|«(?![\u00a0\u202f])/.test(message))
      .map(([ref, message]) => `${ref}: ${message}`);
    expect(wrong).toEqual([]);
  });
});
